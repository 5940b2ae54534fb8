/**
 * The energy-vs-balance Pareto front of a placement problem, by the epsilon-constraint method:
 * minimise energy subject to "the busiest node is at most u busy" for a grid of caps u, from the
 * lowest peak any plan reaches to the peak of the energy-optimal plan.
 *
 * Why caps and not a sweep of lambda: a weighted sum `energy + lambda x peak` only ever finds
 * the points on the convex hull of the front (the *supported* points), and placement is a
 * discrete problem whose front has dents a weighted sum jumps over; nor does a lambda grid
 * know where the interesting lambdas lie. A cap is exactly the problem's utilization limit,
 * which every solver already treats as a hard knapsack capacity, so each point is an ordinary
 * energy-only problem (lambda 0) that the improved ACO searches and the MIP proves as it is.
 * Afterwards each point on the lower convex hull gets the range of lambda for which the
 * weighted sum picks it, so the planner can still carry a point back as a weight.
 *
 * @example
 * const front = await paretoSweep(problem, { algorithm: 'aco', points: 8, timeLimitMs: 1000 });
 * front.points.filter((p) => p.onFront).map((p) => [p.peakUtilization, p.energyJ, p.lambdaJ]);
 */
import { checkPlacement } from '../../common/placement/checker';
import type { ParetoAlgorithm, ParetoFront, ParetoPoint, ParetoPointKind } from '../../common/placement/pareto';
import type { PlacementProblem } from '../../common/placement/problem';
import { compileProblem } from './compile';
import { costScales, toAssignment } from './compiled';
import { ScheduleError } from './errors';
import type { SolveOptions } from './scheduler';
import { solve } from './solve';

export interface ParetoOptions extends Pick<SolveOptions, 'seed' | 'threads' | 'maxIterations' | 'shouldStop'> {
  algorithm: ParetoAlgorithm;
  /** Points to solve, both ends included (default 8, at least 2); the sweep stops sooner once it knows the whole front. */
  points?: number;
  /** Per point (default 2000 ms). */
  timeLimitMs?: number;
  /** After each solve: the point and how many solves of how many are done. */
  onPoint?: (point: ParetoPoint, done: number, total: number) => void;
}

/** Relative slack on a cap: a plan whose peak is the cap must not fail it by a rounding. */
const CAP_SLACK = 1e-9;
/** Two points closer than this (relative energy, absolute peak) are the same point. */
const SAME_ENERGY = 1e-9;
const SAME_PEAK = 1e-9;
/** Stretches of the front narrower than 0.1 point of utilization are not worth a solve. */
const PEAK_RESOLUTION = 1e-3;
/** How far below a point's peak a cap must be to exclude it (well above CAP_SLACK). */
const JUST_BELOW = 1e-6;

/**
 * Solves `points + 1` problems: the energy optimum under the problem's own limit, the lowest
 * reachable peak (energy priced at nearly nothing against balance), the least energy at that
 * peak, then `points - 2` caps, each in the middle of the widest stretch of the front not yet
 * known (by the area of the box a point could hide in), or just below its right end when its
 * middle found nothing. A stretch is known when a cap's answer
 * covers it (the least energy under cap c is the answer's for every cap between its peak and
 * c), when both its ends cost the same energy (anything between is dominated) or when it is
 * narrower than 0.1 point of utilization. With an exact solver and enough points the sweep therefore
 * enumerates the whole front and stops early. Returns every point solved, the front marked and
 * the supported points' lambdas computed.
 */
export async function paretoSweep(problem: PlacementProblem, options: ParetoOptions): Promise<ParetoFront> {
  const started = performance.now();
  const count = Math.max(2, Math.floor(options.points ?? 8));
  const total = count + 1;
  const timeLimitMs = options.timeLimitMs ?? 2000;
  const points: ParetoPoint[] = [];
  let solves = 0;
  const done = (point: ParetoPoint) => {
    solves++;
    points.push(point);
    options.onPoint?.(point, solves, total);
    return point;
  };

  const energyEnd = done(await solvePoint(problem, 'energy-optimal', problem.utilizationLimit, 0, options, timeLimitMs));
  if (!energyEnd.feasible) {
    throw new ScheduleError(`The ${options.algorithm} found no feasible placement within ${timeLimitMs} ms, so there is no front to draw; give it more time or fix the violations.`);
  }
  // A weight on balance that dwarfs any energy two plans can differ by (every workload's spread
  // between its dearest and cheapest option, every node's idle cost): 0.01% of peak outweighs it.
  const { spread, idle } = costScales(compileProblem(problem));
  const lowest = await solvePoint(problem, 'min-peak', problem.utilizationLimit, Math.max(1, spread + idle) * 1e4, options, timeLimitMs);
  solves++;
  options.onPoint?.(lowest, solves, total);
  const lowPeak = lowest.feasible ? Math.min(lowest.peakUtilization, energyEnd.peakUtilization) : energyEnd.peakUtilization;
  // The lowest peak at the least energy: the same cap, energy alone.
  const minPeak = done(await solvePoint(problem, 'min-peak', lowPeak, 0, options, timeLimitMs, lowest));

  const energyRange = Math.max(minPeak.energyJ - energyEnd.energyJ, Number.MIN_VALUE);
  const peakRange = Math.max(energyEnd.peakUtilization - lowPeak, Number.MIN_VALUE);
  let open: Stretch[] = [{ from: minPeak, known: lowPeak, to: energyEnd, missed: false }];
  const unknown = (s: Stretch) => s.to.peakUtilization - s.known > PEAK_RESOLUTION && lower(s.to, s.from);
  // The area of the box a front point inside the stretch could occupy: wide gaps with a large
  // energy drop first.
  const score = (s: Stretch) => ((s.to.peakUtilization - s.known) / peakRange) * ((s.from.energyJ - s.to.energyJ) / energyRange);
  while (solves < total && !options.shouldStop?.()) {
    open = open.filter(unknown);
    if (open.length === 0) break;
    const widest = open.reduce((a, b) => (score(b) > score(a) ? b : a));
    // The middle first; after a miss, just below the stretch's right end, which either finds the
    // next point of the front or proves there is none (fronts of discrete problems are steps).
    const cap = widest.missed ? widest.to.peakUtilization - JUST_BELOW : (widest.known + widest.to.peakUtilization) / 2;
    const point = done(await solvePoint(problem, 'capped', cap, 0, options, timeLimitMs));
    const rest = open.filter((s) => s !== widest);
    // A point between the stretch's ends splits it; otherwise the stretch is known up to the cap.
    const between = point.feasible && point.peakUtilization > widest.known + SAME_PEAK && lower(point, widest.from);
    open = between
      ? [...rest, { from: widest.from, known: widest.known, to: point, missed: false }, { from: point, known: cap, to: widest.to, missed: false }]
      : [...rest, { from: widest.from, known: cap, to: widest.to, missed: true }];
  }
  const distinct = withoutRepeats(points);
  markFront(distinct);
  return { algorithm: options.algorithm, points: distinct, ms: performance.now() - started };
}

/**
 * A stretch of the front between two points: the least energy is `from`'s for every cap from
 * `from.peakUtilization` up to `known`, unknown from there to `to.peakUtilization`.
 */
interface Stretch {
  from: ParetoPoint;
  known: number;
  to: ParetoPoint;
  /** The last cap tried inside it found nothing new. */
  missed: boolean;
}

async function solvePoint(
  problem: PlacementProblem,
  kind: ParetoPointKind,
  cap: number,
  lambdaJ: number,
  options: ParetoOptions,
  timeLimitMs: number,
  fallback?: ParetoPoint,
): Promise<ParetoPoint> {
  const capped: PlacementProblem = { ...problem, lambdaJ, utilizationLimit: Math.min(problem.utilizationLimit, cap * (1 + CAP_SLACK)) };
  const cp = compileProblem(capped);
  const result = await solve(options.algorithm, cp, {
    seed: options.seed ?? 1,
    timeLimitMs,
    maxIterations: options.maxIterations,
    threads: options.threads ?? 1,
    shouldStop: options.shouldStop,
  });
  const { assignment, variants } = toAssignment(cp, result.assignment, result.option);
  // Judged on the planner's own problem (its limit, its lambda): the energy and peak are the checker's.
  const report = checkPlacement(problem, assignment, variants);
  const point: ParetoPoint = {
    kind,
    peakCap: cap,
    energyJ: report.energyJ,
    peakUtilization: report.maxUtilization,
    feasible: result.feasible && report.feasible,
    onFront: false,
    lambdaRange: null,
    lambdaJ: null,
    ...(result.optimal === undefined ? {} : { optimal: result.optimal }),
    assignment,
    variants,
    ms: result.ms,
  };
  // A heuristic may miss a cap it met before (the min-peak solve found a plan under it).
  if (!point.feasible && fallback?.feasible) return { ...fallback, kind, peakCap: cap, ms: point.ms + fallback.ms };
  return point;
}

/**
 * Marks the non-dominated feasible points (the first of any repeats) and, on the lower convex
 * hull of those, the range of lambda for which each minimises `energy + lambda x peak`.
 * `points` must be sorted by peak, then energy.
 *
 * @example
 * // (peak, energy): (0.2, 10), (0.3, 9.5), (0.5, 8): the middle point sits above the chord
 * // from (0.2, 10) to (0.5, 8), so it is on the front but no lambda picks it.
 */
export function markFront(points: ParetoPoint[]): void {
  let bestEnergy = Infinity;
  const front: ParetoPoint[] = [];
  for (const p of points) {
    p.onFront = false;
    p.lambdaRange = null;
    p.lambdaJ = null;
    if (!p.feasible) continue;
    // Sorted by peak: a point is dominated when an earlier (lower or equal peak) one has no more energy.
    if (p.energyJ >= bestEnergy - SAME_ENERGY * Math.abs(bestEnergy)) continue;
    const last = front.at(-1);
    if (last && Math.abs(last.peakUtilization - p.peakUtilization) <= SAME_PEAK) {
      // Same peak, less energy: it replaces the earlier one.
      last.onFront = false;
      front.pop();
    }
    p.onFront = true;
    front.push(p);
    bestEnergy = p.energyJ;
  }
  // Lower convex hull (Andrew's monotone chain) of the front, by increasing peak.
  const hull: ParetoPoint[] = [];
  for (const p of front) {
    while (hull.length >= 2 && slope(hull[hull.length - 2], hull[hull.length - 1]) <= slope(hull[hull.length - 1], p)) hull.pop();
    hull.push(p);
  }
  // Energy saved per unit of peak between hull neighbours falls from left to right; point t is
  // the weighted optimum for lambda between the saving to its right and the saving to its left.
  hull.forEach((p, t) => {
    const min = t + 1 < hull.length ? slope(p, hull[t + 1]) : 0;
    const max = t > 0 ? slope(hull[t - 1], p) : null;
    p.lambdaRange = { min, max };
    p.lambdaJ = max === null ? (min > 0 ? 2 * min : 0) : min > 0 ? Math.sqrt(min * max) : max / 2;
  });
}

const KIND_ORDER: Record<ParetoPointKind, number> = { 'min-peak': 0, 'energy-optimal': 1, capped: 2 };

/** The points by peak, then energy, each plan once (caps that led to the same plan give one point, an end's kind kept). */
function withoutRepeats(points: ParetoPoint[]): ParetoPoint[] {
  const sorted = [...points].sort((a, b) => a.peakUtilization - b.peakUtilization || a.energyJ - b.energyJ || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  return sorted.filter((p, t) => {
    const q = sorted[t - 1];
    return !q || q.feasible !== p.feasible || Math.abs(q.peakUtilization - p.peakUtilization) > SAME_PEAK || Math.abs(q.energyJ - p.energyJ) > SAME_ENERGY * Math.abs(p.energyJ);
  });
}

/** a costs less energy than b, beyond rounding. */
function lower(a: ParetoPoint, b: ParetoPoint): boolean {
  return a.energyJ < b.energyJ - SAME_ENERGY * Math.abs(b.energyJ);
}

/** Energy saved per unit of peak moving from a (lower peak) to b: positive along a front. */
function slope(a: ParetoPoint, b: ParetoPoint): number {
  return (a.energyJ - b.energyJ) / (b.peakUtilization - a.peakUtilization);
}
