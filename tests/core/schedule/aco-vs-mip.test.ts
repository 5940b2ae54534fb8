/**
 * The improved ACO and the exact MIP on small generated fleets with locality (sites, LANs, a ring
 * of links, nodes that may sleep, a cloud on one of them): the MIP proves its optimum with a gap
 * of 1e-7 and is never worse than the ACO; the ACO ends within 0.1% of it; the checker agrees
 * with both on feasibility and objective. Together with the hand-made instances of the other
 * tests, this is what "the MIP optimises exactly the heuristics' objective" means in practice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import type { PlacementProblem } from '../../../src-main/common/placement/problem';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { solveAco } from '../../../src-main/core/schedule/aco';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { toAssignment, type CompiledProblem } from '../../../src-main/core/schedule/compiled';
import { generateFleet } from '../../../src-main/core/schedule/fleet';
import { solveMip } from '../../../src-main/core/schedule/mip';
import type { SolveResult } from '../../../src-main/core/schedule/scheduler';
import { devicesDir } from './fixtures';

let library: DeviceLibrary;
beforeAll(async () => {
  library = await DeviceLibrary.load(devicesDir);
});

function refereed(problem: PlacementProblem, cp: CompiledProblem, r: SolveResult) {
  const { assignment, variants } = toAssignment(cp, r.assignment, r.option);
  return checkPlacement(problem, assignment, variants);
}

describe('the improved ACO against the exact MIP with locality', () => {
  for (const seed of [1, 3, 4]) {
    it(`agrees on a 12-node, 40-workload fleet with links (seed ${seed})`, async () => {
      const problem = generateFleet(library, { nodes: 12, workloads: 40, seed, locality: true, cloud: seed === 4 });
      const cp = compileProblem(problem);
      expect(cp.L).toBeGreaterThan(0);
      const mip = await solveMip(cp, { timeLimitS: 60, relGap: 1e-7 });
      expect(mip.optimal).toBe(true);
      const aco = solveAco(cp, { seed: 1, maxIterations: 25 });
      for (const r of [mip, aco]) {
        const report = refereed(problem, cp, r);
        expect(report.feasible, JSON.stringify(report.violations.slice(0, 2))).toBe(true);
        expect(report.objective).toBeCloseTo(r.objective, 6);
      }
      expect(mip.objective).toBeLessThanOrEqual(aco.objective + 1e-6 * Math.abs(mip.objective));
      expect(aco.objective).toBeLessThanOrEqual(mip.objective * (1 + 1e-3));
    });
  }
});
