/**
 * The energy-vs-balance sweep on an instance small enough to enumerate every plan (4^5): the
 * true front is known, the MIP's sweep must find all of it, and the improved ACO's point at each
 * cap must cost what the MIP proves optimal under that cap.
 */
import { describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import type { ParetoPoint } from '../../../src-main/common/placement/pareto';
import { parseProblem, type PlacementProblem, type PlacementProblemInput } from '../../../src-main/common/placement/problem';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { toAssignment } from '../../../src-main/core/schedule/compiled';
import { markFront, paretoSweep } from '../../../src-main/core/schedule/pareto';
import { solve } from '../../../src-main/core/schedule/solve';

/**
 * Three always-on nodes whose energy per inference is 0.01, 0.02 and 0.03 J, and a fourth,
 * the cheapest per inference, that may sleep but costs 30 J to switch on; five workloads of
 * 10% to 50% of a node. All on the cheap nodes is the least energy and the highest peak.
 */
function ladder(): PlacementProblemInput {
  const node = (id: string, deviceType: string, sleeps = false) => ({
    id,
    deviceType,
    site: 'S',
    computeMacPerS: 100,
    memoryMB: 1000,
    idlePowerW: sleeps ? 0.3 : 1,
    powerState: sleeps ? ('may-sleep' as const) : ('always-on' as const),
  });
  return {
    schemaVersion: 2,
    periodS: 100,
    lambdaJ: 0,
    utilizationLimit: 1,
    nodes: [node('a', 'A'), node('b', 'B'), node('c', 'C'), node('d', 'D', true)],
    models: [{ id: 'm', macs: 10, memoryMB: 1, perDevice: { A: { energyJ: 0.01, latencyMs: 1 }, B: { energyJ: 0.02, latencyMs: 1 }, C: { energyJ: 0.03, latencyMs: 1 }, D: { energyJ: 0.005, latencyMs: 1 } } }],
    workloads: [1, 2, 3, 4, 5].map((rate) => ({ id: `w${rate}`, model: 'm', ratePerS: rate, sloMs: 10, allowCloud: false })),
  };
}

/** Every plan, judged by the checker; the feasible ones' non-dominated (peak, energy) pairs. */
function exactFront(problem: PlacementProblem): { peak: number; energyJ: number }[] {
  const nodes = problem.nodes.map((n) => n.id);
  const ids = problem.workloads.map((w) => w.id);
  const plans: { peak: number; energyJ: number }[] = [];
  for (let code = 0; code < nodes.length ** ids.length; code++) {
    const assignment: Record<string, string> = {};
    ids.forEach((id, t) => (assignment[id] = nodes[Math.floor(code / nodes.length ** t) % nodes.length]));
    const report = checkPlacement(problem, assignment);
    if (report.feasible) plans.push({ peak: report.maxUtilization, energyJ: report.energyJ });
  }
  plans.sort((a, b) => a.peak - b.peak || a.energyJ - b.energyJ);
  const front: { peak: number; energyJ: number }[] = [];
  for (const p of plans) {
    const last = front.at(-1);
    if (last && p.energyJ >= last.energyJ - 1e-9) continue;
    if (last && Math.abs(last.peak - p.peak) < 1e-12) front.pop();
    front.push(p);
  }
  return front;
}

function expectNonDominated(points: ParetoPoint[]): void {
  const front = points.filter((p) => p.onFront);
  for (const p of front) {
    expect(p.feasible).toBe(true);
    for (const q of points.filter((x) => x.feasible && x !== p)) {
      const dominates = q.energyJ <= p.energyJ && q.peakUtilization <= p.peakUtilization && (q.energyJ < p.energyJ - 1e-9 || q.peakUtilization < p.peakUtilization - 1e-9);
      expect(dominates, `(${q.peakUtilization}, ${q.energyJ}) dominates (${p.peakUtilization}, ${p.energyJ})`).toBe(false);
    }
  }
}

describe('the Pareto sweep of energy against the busiest node', () => {
  const problem = parseProblem(ladder());
  const truth = exactFront(problem);

  it('has a front of several points on the ladder instance (the test means something)', () => {
    console.log(JSON.stringify(truth));
    expect(truth.length).toBeGreaterThanOrEqual(4);
  });

  it('with the MIP, finds exactly the enumerated front, both ends included, non-dominated', async () => {
    const sweep = await paretoSweep(problem, { algorithm: 'mip', points: 16, timeLimitMs: 20_000 });
    expectNonDominated(sweep.points);
    const front = sweep.points.filter((p) => p.onFront);
    expect(front.map((p) => [p.peakUtilization, p.energyJ])).toEqual(truth.map((t) => [expect.closeTo(t.peak, 9), expect.closeTo(t.energyJ, 6)]));
    expect(front[0].kind).toBe('min-peak');
    expect(front.at(-1)!.energyJ).toBeCloseTo(truth.at(-1)!.energyJ, 6);
    expect(sweep.points.every((p) => p.optimal)).toBe(true);
    // The energy-optimal end is the weighted optimum from lambda 0, the lowest peak for every large lambda.
    expect(front.at(-1)!.lambdaRange?.min).toBe(0);
    expect(front[0].lambdaRange?.max).toBeNull();
  }, 120_000);

  it('with the improved ACO, costs at every cap what the MIP proves optimal under it', async () => {
    const sweep = await paretoSweep(problem, { algorithm: 'aco', points: 8, timeLimitMs: 5000, maxIterations: 20, seed: 3 });
    expectNonDominated(sweep.points);
    const front = sweep.points.filter((p) => p.onFront);
    expect(front.length).toBeGreaterThanOrEqual(3);
    expect(front[0].peakUtilization).toBeCloseTo(truth[0].peak, 9);
    expect(front.at(-1)!.energyJ).toBeCloseTo(truth.at(-1)!.energyJ, 6);
    for (const point of sweep.points) {
      const cp = compileProblem({ ...problem, lambdaJ: 0, utilizationLimit: point.peakCap * (1 + 1e-9) });
      const mip = await solve('mip', cp, { timeLimitMs: 20_000 });
      expect(mip.optimal).toBe(true);
      const { assignment, variants } = toAssignment(cp, mip.assignment, mip.option);
      expect(point.energyJ, `cap ${point.peakCap}`).toBeCloseTo(checkPlacement(problem, assignment, variants).energyJ, 6);
      // Every ACO point is a point of the true front or dominated by one, never better.
      expect(truth.some((t) => t.peak <= point.peakUtilization + 1e-9 && t.energyJ <= point.energyJ + 1e-6)).toBe(true);
    }
  }, 120_000);
});

describe('marking the front', () => {
  const at = (peakUtilization: number, energyJ: number, feasible = true): ParetoPoint => ({
    kind: 'capped',
    peakCap: peakUtilization,
    energyJ,
    peakUtilization,
    feasible,
    onFront: false,
    lambdaRange: null,
    lambdaJ: null,
    assignment: {},
    variants: {},
    ms: 0,
  });

  it('keeps non-dominated feasible points and gives a lambda only to those on the convex hull', () => {
    const points = [at(0.2, 10), at(0.25, 11), at(0.3, 9.5), at(0.35, 9, false), at(0.5, 8), at(0.6, 8)];
    markFront(points);
    expect(points.map((p) => p.onFront)).toEqual([true, false, true, false, true, false]);
    // (0.3, 9.5) lies above the chord from (0.2, 10) to (0.5, 8): on the front, but no weight picks it.
    expect(points[2].lambdaJ).toBeNull();
    expect(points[0].lambdaRange).toEqual({ min: expect.closeTo(2 / 0.3, 9), max: null });
    expect(points[4].lambdaRange).toEqual({ min: 0, max: expect.closeTo(2 / 0.3, 9) });
    // The suggested weight really picks its point among the front.
    for (const p of [points[0], points[4]]) {
      const objective = (q: ParetoPoint) => q.energyJ + p.lambdaJ! * q.peakUtilization;
      expect(Math.min(...points.filter((q) => q.onFront).map(objective))).toBeCloseTo(objective(p), 9);
    }
  });
});
