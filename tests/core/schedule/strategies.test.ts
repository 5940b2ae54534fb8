/**
 * The joint choice of variant and node against the two simpler strategies (originals only, one
 * variant per model for the whole fleet), solved by the improved ACO, the baselines and the exact
 * MIP on small instances with variants.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { parseProblem, variantsOf, type PlacementProblem } from '../../../src-main/common/placement/problem';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { toAssignment } from '../../../src-main/core/schedule/compiled';
import { generateFleet } from '../../../src-main/core/schedule/fleet';
import { solve } from '../../../src-main/core/schedule/solve';
import { oneVariantEach, originalsOnly } from '../../../src-main/core/schedule/strategies';
import { devicesDir, tinyProblem } from './fixtures';

const instances: { name: string; problem: PlacementProblem }[] = [];
beforeAll(async () => {
  const library = await DeviceLibrary.load(devicesDir);
  instances.push(
    { name: 'tiny problem', problem: parseProblem(tinyProblem()) },
    { name: '6-node fleet, variants for most workloads', problem: generateFleet(library, { nodes: 6, workloads: 18, seed: 4, variantShare: 0.8 }) },
    { name: '10-node fleet with a cloud', problem: generateFleet(library, { nodes: 10, workloads: 30, seed: 9, cloud: true }) },
  );
});

async function placed(problem: PlacementProblem, algo: 'aco' | 'greedy' | 'ffd' | 'mip') {
  const cp = compileProblem(problem);
  const r = await solve(algo, cp, algo === 'mip' ? { timeLimitMs: 60_000 } : { seed: 3, maxIterations: 20 });
  const { assignment, variants } = toAssignment(cp, r.assignment, r.option);
  const report = checkPlacement(problem, assignment, variants);
  expect(report.feasible, `${algo}: ${JSON.stringify(report.violations.slice(0, 2))}`).toBe(r.feasible);
  expect(report.objective).toBeCloseTo(r.objective, 6);
  return { ...r, variants };
}

describe('strategies', () => {
  it('restrict each workload to one model: its original, or its cheapest admissible variant', () => {
    const problem = instances[1].problem;
    const withChoice = problem.workloads.filter((w) => variantsOf(w).length > 1);
    expect(withChoice.length).toBeGreaterThan(0);
    const originals = originalsOnly(problem);
    const single = oneVariantEach(problem);
    for (const w of withChoice) {
      const o = originals.workloads.find((x) => x.id === w.id)!;
      const s = single.workloads.find((x) => x.id === w.id)!;
      expect(variantsOf(o)).toEqual([variantsOf(w)[0]]);
      expect(variantsOf(s)).toHaveLength(1);
      const chosen = problem.models.find((m) => m.id === variantsOf(s)[0])!;
      if (w.accuracyFloor !== undefined && variantsOf(s)[0] !== variantsOf(w)[0]) expect(chosen.accuracy).toBeGreaterThanOrEqual(w.accuracyFloor);
    }
    expect(parseProblem(single)).toBeTruthy();
  });

  it('the exact MIP is never beaten by the ACO or a baseline, and the joint optimum is never worse than either simpler strategy', async () => {
    for (const { name, problem } of instances) {
      const mip = await placed(problem, 'mip');
      expect(mip.optimal, name).toBe(true);
      const slack = 1e-4 * Math.abs(mip.objective) + 1e-9;
      for (const algo of ['aco', 'greedy', 'ffd'] as const) {
        const r = await placed(problem, algo);
        if (r.feasible) expect(r.objective, `${algo} on ${name}`).toBeGreaterThanOrEqual(mip.objective - slack);
      }
      const aco = await placed(problem, 'aco');
      expect(aco.feasible, name).toBe(true);
      // The improved ACO ends near the optimum on instances this small.
      expect(aco.objective, name).toBeLessThanOrEqual(mip.objective * 1.02 + slack);
      for (const simpler of [originalsOnly(problem), oneVariantEach(problem)]) {
        const restricted = await placed(simpler, 'mip');
        if (restricted.feasible) expect(mip.objective, name).toBeLessThanOrEqual(restricted.objective + slack);
      }
    }
  }, 300_000);

  it('chooses compressed variants where they are admissible and cheaper', async () => {
    const { problem } = instances[1];
    const mip = await placed(problem, 'mip');
    const original = new Map(problem.workloads.map((w) => [w.id, variantsOf(w)[0]]));
    expect(Object.entries(mip.variants).some(([w, m]) => m !== original.get(w))).toBe(true);
    const originals = await placed(originalsOnly(problem), 'mip');
    expect(mip.objective).toBeLessThan(originals.objective);
    for (const [w, m] of Object.entries(mip.variants)) {
      const floor = problem.workloads.find((x) => x.id === w)!.accuracyFloor;
      if (floor !== undefined) expect(problem.models.find((x) => x.id === m)!.accuracy).toBeGreaterThanOrEqual(floor - 1e-9);
    }
  }, 120_000);
});
