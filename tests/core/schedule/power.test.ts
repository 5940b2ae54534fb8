/**
 * Node power states on hand-made instances with known answers, checked by the independent
 * checker and the exact MIP: an always-on node's idle energy is a constant of every plan (and is
 * reported), a node that may sleep spends idle and wake-up energy only when it serves.
 * Two nodes of one type, period 100 s, 2 W idle; two workloads of 1 J inference a period each,
 * each taking 10% of a node; lambda 10 J per unit of peak utilization.
 */
import { describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { parseProblem, type PlacementProblemInput } from '../../../src-main/common/placement/problem';
import type { PowerState } from '../../../src-main/common/placement/power';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { acoBest, mipOptimum } from './exact';

function pair(n1: PowerState, n2: PowerState, extra: Partial<PlacementProblemInput['nodes'][number]> = {}): PlacementProblemInput {
  const node = (id: string, powerState: PowerState) => ({ id, deviceType: 'dev', site: 'S', computeMacPerS: 100, memoryMB: 100, idlePowerW: 2, powerState, ...(powerState === 'may-sleep' ? { wakeUpJ: 5 } : {}), ...extra });
  return {
    schemaVersion: 2,
    periodS: 100,
    lambdaJ: 10,
    nodes: [node('n1', n1), node('n2', n2)],
    models: [{ id: 'm', macs: 10, memoryMB: 1, perDevice: { dev: { energyJ: 0.01, latencyMs: 1 } } }],
    workloads: [
      { id: 'w1', model: 'm', ratePerS: 1, sloMs: 10, allowCloud: false },
      { id: 'w2', model: 'm', ratePerS: 1, sloMs: 10, allowCloud: false },
    ],
  };
}

describe('power states', () => {
  it('counts the idle energy of always-on nodes whatever the placement, so balance alone decides', async () => {
    const problem = parseProblem(pair('always-on', 'always-on'));
    const together = checkPlacement(problem, { w1: 'n1', w2: 'n1' });
    expect(together.energyJ).toBeCloseTo(402, 9);
    expect(together.energy.alwaysOnIdleJ).toBeCloseTo(400, 9);
    expect(together.nodes.find((n) => n.nodeId === 'n2')).toMatchObject({ workloadIds: [], powered: true, energyJ: 200 });
    expect(together.objective).toBeCloseTo(402 + 10 * 0.2, 9);
    // The constant is the compiled offset: the solvers minimise the rest, every objective includes it.
    expect(compileProblem(problem).offset).toBeCloseTo(400, 9);
    const best = await mipOptimum(pair('always-on', 'always-on'));
    expect(best.result.objective).toBeCloseTo(403, 6);
    expect(new Set(Object.values(best.assignment)).size).toBe(2);
    expect(best.report.objective).toBeCloseTo(403, 6);
  });

  it('counts idle and wake-up energy of a node that may sleep only when it serves, so consolidation pays', async () => {
    const problem = parseProblem(pair('may-sleep', 'may-sleep'));
    const split = checkPlacement(problem, { w1: 'n1', w2: 'n2' });
    expect(split.energyJ).toBeCloseTo(412, 9);
    expect(split.energy.wakeUpJ).toBeCloseTo(10, 9);
    const together = checkPlacement(problem, { w1: 'n2', w2: 'n2' });
    expect(together.energyJ).toBeCloseTo(207, 9);
    expect(together.nodes.find((n) => n.nodeId === 'n1')).toMatchObject({ powered: false, energyJ: 0 });
    const best = await mipOptimum(pair('may-sleep', 'may-sleep'));
    expect(best.result.objective).toBeCloseTo(209, 6);
    expect(new Set(Object.values(best.assignment)).size).toBe(1);
  });

  it('prefers the always-on node when the other would have to wake up', async () => {
    const best = await mipOptimum(pair('always-on', 'may-sleep'));
    expect(best.assignment).toEqual({ w1: 'n1', w2: 'n1' });
    expect(best.result.objective).toBeCloseTo(200 + 2 + 10 * 0.2, 6);
    expect(acoBest(pair('always-on', 'may-sleep')).result.objective).toBeCloseTo(best.result.objective, 6);
  });

  it('holds an energy budget over the period, idle energy included, whatever the power state', async () => {
    // A may-sleep node with a 206 J budget cannot take both (207 J) but can take one (206 J).
    const tight = pair('may-sleep', 'may-sleep', { energyBudgetJ: 206 });
    const problem = parseProblem(tight);
    const r = checkPlacement(problem, { w1: 'n1', w2: 'n1' });
    expect(r.violations.map((v) => v.constraint)).toEqual(['energyBudget']);
    expect(r.violations[0].message).toBe('Node "n1" spends 207 J per period but the budget is 206 J.');
    const best = await mipOptimum(tight);
    expect(best.result.objective).toBeCloseTo(412 + 10 * 0.1, 6);
    // An always-on node whose idle energy alone breaks its budget makes every plan infeasible.
    const starved = pair('always-on', 'may-sleep');
    starved.nodes[0].energyBudgetJ = 150;
    const empty = checkPlacement(parseProblem(starved), { w1: 'n2', w2: 'n2' });
    expect(empty.violations.map((v) => v.constraint)).toEqual(['energyBudget']);
    expect(empty.violations[0].nodeId).toBe('n1');
    expect(() => compileProblem(parseProblem(starved))).toThrow('Always-on node "n1" (200 J idle, 150 J budget) cannot idle through the period on its energy budget; let it sleep or raise the budget.');
  });

  it('defaults to always-on without a budget and may-sleep with one, and reads a version 1 file as may-sleep', () => {
    const p = pair('always-on', 'always-on');
    for (const n of p.nodes) delete n.powerState;
    p.nodes[1].energyBudgetJ = 1000;
    const cp = compileProblem(parseProblem(p));
    expect(cp.offset).toBeCloseTo(200, 9);
    expect(Array.from(cp.idleCost)).toEqual([0, 200]);
    const v1 = { ...pair('always-on', 'always-on'), schemaVersion: 1 } as unknown as PlacementProblemInput;
    for (const n of v1.nodes) delete n.powerState;
    expect(parseProblem(v1).nodes.map((n) => n.powerState)).toEqual(['may-sleep', 'may-sleep']);
  });
});
