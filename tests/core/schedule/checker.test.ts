import { describe, expect, it } from 'vitest';
import { checkPlacement, type ConstraintKind } from '../../../src-main/common/placement/checker';
import { parseProblem, type PlacementProblem } from '../../../src-main/common/placement/problem';
import { setPath, tinyProblem, twoSites } from './fixtures';

const allOnBig = { cam1: 'big', cam2: 'big', cam3: 'big' };

/** The tiny problem, with one value set at a dotted path. */
function problem(dotted?: string, value?: unknown): PlacementProblem {
  const p = tinyProblem();
  if (dotted) setPath(p, dotted, value);
  return parseProblem(p);
}

const kinds = (r: ReturnType<typeof checkPlacement>) => r.violations.map((v) => v.constraint);

describe('checkPlacement', () => {
  it('computes energy, idle energy, the balance term and the objective by the documented formula', () => {
    const r = checkPlacement(problem(), allOnBig);
    expect(r.violations).toEqual([]);
    expect(r.feasible).toBe(true);
    // Dynamic 5 + 2 + 2 J, idle 2 W x 100 s on the only node used; small may sleep and is off.
    expect(r.energyJ).toBeCloseTo(209, 9);
    expect(r.energy).toEqual({ inferenceJ: 9, hostJ: 0, idleJ: 200, alwaysOnIdleJ: 0, wakeUpJ: 0, transferJ: 0, cloudJ: 0 });
    // The balance term is the busiest node's utilization: 0.09 on big.
    expect(r.imbalance).toBeCloseTo(0.09, 12);
    expect(r.objective).toBeCloseTo(209 + 10 * 0.09, 9);
    expect(r.maxUtilization).toBeCloseTo(0.09, 12);
    expect(r.nodes.find((n) => n.nodeId === 'small')).toMatchObject({ energyJ: 0, workloadIds: [], powered: false });
  });

  it('counts cloud energy as transmission energy and link use against the uplink', () => {
    const p = problem('workloads.0.sloMs', 1000);
    const r = checkPlacement(p, { ...allOnBig, cam1: 'cloud' });
    expect(r.feasible).toBe(false); // 5/s x 0.5 MB x 8 = 20 Mb/s over a 10 Mb/s link
    expect(kinds(r)).toEqual(['link']);
    // Transmission 5/s x 100 s x 0.5 MB x 2 J/MB = 500 J, plus big: 2 + 2 J dynamic + 200 J idle.
    expect(r.energyJ).toBeCloseTo(704, 9);
  });

  const cases: [ConstraintKind, PlacementProblem, Record<string, string>, Record<string, string>?][] = [
    ['unassigned', problem(), { cam1: 'big', cam2: 'big' }],
    ['unknownWorkload', problem(), { ...allOnBig, ghost: 'big' }],
    ['unknownNode', problem(), { ...allOnBig, cam3: 'mars' }],
    ['unknownVariant', problem(), allOnBig, { cam1: 'xavier-only' }],
    ['allowedType', problem(), { ...allOnBig, cam2: 'small' }],
    ['cloudNotAllowed', problem(), { ...allOnBig, cam3: 'cloud' }],
    ['unsupported', problem(), { ...allOnBig, cam3: 'small' }],
    ['accuracy', problem(), allOnBig, { cam1: 'net-p50' }],
    ['slo', problem(), { ...allOnBig, cam1: 'cloud' }],
    ['compute', problem('workloads.0.ratePerS', 20), { ...allOnBig, cam1: 'small' }],
    ['memory', problem('nodes.1.memoryMB', 20), { ...allOnBig, cam1: 'small' }],
    ['energyBudget', problem('nodes.0.energyBudgetJ', 100), allOnBig],
    ['link', problem('workloads.0.sloMs', 1000), { ...allOnBig, cam1: 'cloud' }],
    ['headroom', problem('utilizationLimit', 0.05), allOnBig],
    ['noPath', parseProblem({ ...twoSites(), links: [] }), { w1: 'b1', w2: 'a1' }],
    ['network', parseProblem(twoSites()), { w1: 'b1', w2: 'b1' }],
  ];
  for (const [kind, p, assignment, variants] of cases) {
    it(`reports a ${kind} violation with the ids and a sentence`, () => {
      const r = checkPlacement(p, assignment, variants);
      expect(r.feasible).toBe(false);
      const v = r.violations.find((x) => x.constraint === kind);
      expect(v, JSON.stringify(r.violations)).toBeDefined();
      expect(v!.message).toMatch(/^[A-Z].*\.$/);
      expect(v!.workloadId ?? v!.nodeId ?? v!.hopId).toBeDefined();
    });
  }

  it('gives the figures at fault of every quantitative violation, in the unit of its constraint', () => {
    const quantitative: ConstraintKind[] = ['accuracy', 'slo', 'compute', 'memory', 'energyBudget', 'link', 'headroom', 'network'];
    for (const [kind, p, assignment, variants] of cases.filter(([k]) => quantitative.includes(k))) {
      const v = checkPlacement(p, assignment, variants).violations.find((x) => x.constraint === kind)!;
      expect(v.figures, kind).toBeDefined();
      if (kind === 'accuracy') expect(v.figures!.value).toBeLessThan(v.figures!.limit);
      else expect(v.figures!.value, kind).toBeGreaterThan(v.figures!.limit);
    }
    const slo = checkPlacement(problem(), { ...allOnBig, cam1: 'cloud' }).violations.find((x) => x.constraint === 'slo')!;
    expect(slo.figures).toMatchObject({ limit: 60 });
  });

  it('words large quantities with SI prefixes, not exponents', () => {
    const p = problem('nodes.1.computeMacPerS', 4e9);
    p.nodes[0].computeMacPerS = 1e12;
    p.models[0].macs = 1.79e9;
    const r = checkPlacement(p, { ...allOnBig, cam1: 'small' });
    const v = r.violations.find((x) => x.constraint === 'compute')!;
    expect(v.message).toBe('Node "small" needs 8.95\u00a0GMAC/s but has 4.0\u00a0GMAC/s.');
    expect(v.figures).toEqual({ value: 8.95e9, limit: 4e9 });
  });

  it('lets a workload with variants run the variant that meets its floor', () => {
    const r = checkPlacement(problem(), { ...allOnBig, cam1: 'small' }, { cam1: 'net' });
    expect(r.feasible).toBe(true);
  });
});
