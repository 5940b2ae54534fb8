import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schedulers } from '../../../src-main/core/schedule/solve';
import { solveAcoParallel } from '../../../src-main/core/schedule/aco-parallel';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { toAssignment } from '../../../src-main/core/schedule/compiled';
import { gapToCompiled, gapToProblem, readGapFile } from '../../../src-main/core/schedule/gap';
import { mipScheduler, solveMipInWorker } from '../../../src-main/core/schedule/mip-run';
import { gapDir } from './fixtures';

describe('worker threads', () => {
  it('runs two colonies deterministically for a seed and an iteration limit', async () => {
    const g = (await readGapFile(path.join(gapDir, 'gap4.txt'))).instances[0];
    const cp = gapToCompiled(g, true);
    const a = await solveAcoParallel(cp, { threads: 2, maxIterations: 3, seed: 9 });
    const b = await schedulers.aco.solve(cp, { threads: 2, maxIterations: 3, seed: 9 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(a.feasible).toBe(true);
    const { assignment, variants } = toAssignment(cp, a.assignment, a.option);
    const report = checkPlacement(gapToProblem(g, true), assignment, variants);
    expect(report.feasible).toBe(true);
    expect(cp.offset - report.objective).toBeCloseTo(a.objective, 9);
  });

  it('cancels the colonies cooperatively', async () => {
    const g = (await readGapFile(path.join(gapDir, 'gapc.txt'))).instances[5];
    const cp = gapToCompiled(g, false);
    const started = Date.now();
    let stop = false;
    setTimeout(() => (stop = true), 1500);
    const r = await solveAcoParallel(cp, { threads: 2, timeLimitMs: 60_000, seed: 1, shouldStop: () => stop });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.assignment.length).toBe(cp.n);
  });

  it('solves the MIP in a worker and proves the optimum of gap1 #1 (336, README)', async () => {
    const g = (await readGapFile(path.join(gapDir, 'gap1.txt'))).instances[0];
    const r = await solveMipInWorker(gapToCompiled(g, true), { timeLimitS: 30 });
    expect(r).toMatchObject({ algorithm: 'mip', objective: 336, optimal: true, feasible: true });
    expect(r.bound).toBeCloseTo(336, 6);
    const viaInterface = await mipScheduler.solve(gapToCompiled(g, true), { timeLimitMs: 30_000 });
    expect(viaInterface.objective).toBe(336);
  });
});
