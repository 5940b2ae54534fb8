/**
 * The balance term (the busiest node's utilization) and the utilization limit on a hand-made
 * instance with known answers: two always-on nodes of one type, three workloads of 30% each.
 * Energy is the same for every plan (400 J idle + 9 J inference), so balance alone decides.
 */
import { describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { parseProblem, type PlacementProblemInput } from '../../../src-main/common/placement/problem';
import { acoBest, mipOptimum } from './exact';

function threeOnTwo(lambdaJ: number, utilizationLimit: number): PlacementProblemInput {
  const node = (id: string) => ({ id, deviceType: 'dev', site: 'S', computeMacPerS: 100, memoryMB: 100, idlePowerW: 2, powerState: 'always-on' as const });
  const workload = (id: string) => ({ id, model: 'm', ratePerS: 3, sloMs: 10, allowCloud: false });
  return {
    schemaVersion: 2,
    periodS: 100,
    lambdaJ,
    utilizationLimit,
    nodes: [node('n1'), node('n2')],
    models: [{ id: 'm', macs: 10, memoryMB: 1, perDevice: { dev: { energyJ: 0.01, latencyMs: 1 } } }],
    workloads: [workload('w1'), workload('w2'), workload('w3')],
  };
}

describe('balance and headroom', () => {
  it('prices the busiest node: objective = energy + lambda x peak utilization', () => {
    const r = checkPlacement(parseProblem(threeOnTwo(100, 1)), { w1: 'n1', w2: 'n1', w3: 'n2' });
    expect(r.energyJ).toBeCloseTo(409, 9);
    expect(r.imbalance).toBeCloseTo(0.6, 12);
    expect(r.maxUtilization).toBeCloseTo(0.6, 12);
    expect(r.objective).toBeCloseTo(409 + 100 * 0.6, 9);
  });

  it('refuses a node above the utilization limit, though within its capacity', () => {
    const r = checkPlacement(parseProblem(threeOnTwo(0, 0.7)), { w1: 'n1', w2: 'n1', w3: 'n1' });
    expect(r.violations.map((v) => v.constraint)).toEqual(['headroom']);
    expect(r.violations[0].message).toBe('Node "n1" would be 90% busy, above the utilization limit of 70%.');
    expect(checkPlacement(parseProblem(threeOnTwo(0, 1)), { w1: 'n1', w2: 'n1', w3: 'n1' }).feasible).toBe(true);
  });

  it('gives the MIP and the ACO the same optimum: the peak at 60%, never all on one node', async () => {
    const best = await mipOptimum(threeOnTwo(100, 1));
    expect(best.result.objective).toBeCloseTo(469, 6);
    expect(best.report.objective).toBeCloseTo(469, 6);
    expect(acoBest(threeOnTwo(100, 1)).result.objective).toBeCloseTo(469, 6);
    // Without a price on balance the limit alone keeps the third workload off the busy node.
    const limited = await mipOptimum(threeOnTwo(0, 0.7));
    expect(limited.report.maxUtilization).toBeCloseTo(0.6, 12);
    expect(limited.report.feasible).toBe(true);
  });
});
