import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { solveAco } from '../../../src-main/core/schedule/aco';
import { solveAntSystem } from '../../../src-main/core/schedule/ant-system';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { toAssignment, type CompiledProblem } from '../../../src-main/core/schedule/compiled';
import { solveFfd } from '../../../src-main/core/schedule/ffd';
import { generateFleet } from '../../../src-main/core/schedule/fleet';
import { solveGa } from '../../../src-main/core/schedule/ga';
import { gapToCompiled, gapToProblem, readGapFile } from '../../../src-main/core/schedule/gap';
import { solveGreedy } from '../../../src-main/core/schedule/greedy';
import { solveMip } from '../../../src-main/core/schedule/mip';
import { parseProblem, type PlacementProblem } from '../../../src-main/common/placement/problem';
import { solveRandom } from '../../../src-main/core/schedule/random';
import { solveRoundRobin } from '../../../src-main/core/schedule/round-robin';
import type { SolveOptions, SolveResult } from '../../../src-main/core/schedule/scheduler';
import { devicesDir, gapDir, hostAndStick, tinyProblem, twoSites } from './fixtures';

interface Case {
  name: string;
  problem: PlacementProblem;
  cp: CompiledProblem;
}

/** Short, iteration-limited runs: deterministic and quick. */
const heuristics: Record<string, (cp: CompiledProblem, o: SolveOptions) => SolveResult> = {
  aco: (cp, o) => solveAco(cp, { ...o, maxIterations: 4 }),
  as: (cp, o) => solveAntSystem(cp, { ...o, maxIterations: 15 }),
  ga: (cp, o) => solveGa(cp, { ...o, maxIterations: 300 }),
  greedy: solveGreedy,
  ffd: solveFfd,
  rr: solveRoundRobin,
  random: solveRandom,
};
/** Must find a feasible placement on these small instances (the plain Ant System may not). */
const searching = ['aco', 'ga'];

const cases: Case[] = [];
beforeAll(async () => {
  const library = await DeviceLibrary.load(devicesDir);
  const tiny = parseProblem(tinyProblem());
  const fleet = generateFleet(library, { nodes: 8, workloads: 40, seed: 2, cloud: true });
  const located = generateFleet(library, { nodes: 24, workloads: 60, seed: 3, locality: true });
  const sites = parseProblem(twoSites());
  const accelerated = parseProblem(hostAndStick());
  const gap1 = (await readGapFile(path.join(gapDir, 'gap1.txt'))).instances[0];
  const gapa = (await readGapFile(path.join(gapDir, 'gap2.txt'))).instances[2];
  cases.push(
    { name: 'tiny problem', problem: tiny, cp: compileProblem(tiny) },
    { name: '8-node fleet with a cloud', problem: fleet, cp: compileProblem(fleet) },
    { name: '24-node fleet with sites, LANs and links', problem: located, cp: compileProblem(located) },
    { name: 'two sites and a link', problem: sites, cp: compileProblem(sites) },
    { name: 'a host with an accelerator', problem: accelerated, cp: compileProblem(accelerated) },
    { name: 'gap1 #1 (maximise)', problem: gapToProblem(gap1, true), cp: gapToCompiled(gap1, true) },
    { name: 'gap2 #3 (maximise)', problem: gapToProblem(gapa, true), cp: gapToCompiled(gapa, true) },
  );
});

/** The checker's objective in the problem's own sense (profit for maximising GAP files). */
function refereed(c: Case, r: SolveResult) {
  const { assignment, variants } = toAssignment(c.cp, r.assignment, r.option);
  const report = checkPlacement(c.problem, assignment, variants);
  const objective = c.cp.maximize ? c.cp.offset - report.objective : report.objective;
  return { ...report, objective };
}

describe('every solver against the independent checker', () => {
  it('reports the feasibility and objective the checker finds, and the searches find feasible placements', () => {
    for (const c of cases) {
      for (const [name, solve] of Object.entries(heuristics)) {
        const r = solve(c.cp, { seed: 5 });
        const ref = refereed(c, r);
        expect(ref.feasible, `${name} on ${c.name}: ${JSON.stringify(ref.violations.slice(0, 2))}`).toBe(r.feasible);
        expect(ref.objective, `${name} on ${c.name}`).toBeCloseTo(r.objective, 6);
        if (searching.includes(name)) expect(r.feasible, `${name} on ${c.name}`).toBe(true);
        expect(r.trace.every(([, v], k) => k === 0 || (c.cp.maximize ? v >= r.trace[k - 1][1] : v <= r.trace[k - 1][1]))).toBe(true);
      }
    }
  });

  it('never finds a heuristic better than the MIP optimum', async () => {
    for (const c of cases) {
      const mip = await solveMip(c.cp, { timeLimitS: 30 });
      expect(mip.optimal, c.name).toBe(true);
      expect(mip.gap ?? 0).toBeLessThanOrEqual(1e-4);
      const ref = refereed(c, mip);
      expect(ref.feasible).toBe(true);
      expect(ref.objective).toBeCloseTo(mip.objective, 6);
      const slack = 1e-4 * Math.abs(mip.objective) + 1e-9;
      for (const [name, solve] of Object.entries(heuristics)) {
        const r = solve(c.cp, { seed: 1 });
        if (!r.feasible) continue;
        if (c.cp.maximize) expect(r.objective, `${name} on ${c.name}`).toBeLessThanOrEqual(mip.objective + slack);
        else expect(r.objective, `${name} on ${c.name}`).toBeGreaterThanOrEqual(mip.objective - slack);
      }
    }
  });

  it('gives the same placement for the same seed and a different one for another seed', () => {
    const c = cases[1];
    for (const name of ['aco', 'as', 'ga', 'random']) {
      const a = heuristics[name](c.cp, { seed: 11 });
      const b = heuristics[name](c.cp, { seed: 11 });
      expect(Array.from(a.assignment), name).toEqual(Array.from(b.assignment));
      expect(Array.from(a.option), name).toEqual(Array.from(b.option));
      expect(a.objective).toBe(b.objective);
    }
    const r1 = solveRandom(c.cp, { seed: 1 });
    const r2 = solveRandom(c.cp, { seed: 2 });
    expect(Array.from(r1.assignment)).not.toEqual(Array.from(r2.assignment));
  });

  it('stops at once when asked to, with the best placement so far', () => {
    const c = cases[1];
    let calls = 0;
    const r = solveAco(c.cp, { seed: 1, timeLimitMs: 60_000, shouldStop: () => ++calls > 2 });
    expect(r.iterations).toBeLessThanOrEqual(2);
    expect(r.assignment.length).toBe(c.cp.n);
    const events: number[] = [];
    solveGa(c.cp, { seed: 1, maxIterations: 50, progressEveryMs: 0, onProgress: (e) => events.push(e.iteration) });
    expect(events.length).toBeGreaterThan(10);
  });
});
