/**
 * Job `placement.pareto`: the energy-vs-balance front of a problem, one solve per point, each
 * point reported as it is solved so the window and the CLI can show the sweep advancing.
 */
import type { ParetoAlgorithm, ParetoSweepResult, SolverSettings } from '../../common/api/placement';
import type { PlacementProblem } from '../../common/placement/problem';
import { stopRequested, type Progress } from '../../core/progress';
import { paretoSweep } from '../../core/schedule/pareto';
import { DEFAULT_PARETO_POINT_S } from '../catalog';

export async function runParetoSweep(input: { problem: PlacementProblem; algo: ParetoAlgorithm; points: number; settings: SolverSettings }, context: Progress): Promise<ParetoSweepResult> {
  const { problem, algo, points, settings } = input;
  const front = await paretoSweep(problem, {
    algorithm: algo,
    points,
    timeLimitMs: (settings.timeLimitS ?? DEFAULT_PARETO_POINT_S) * 1000,
    seed: settings.seed ?? 1,
    threads: settings.threads ?? 1,
    maxIterations: settings.maxIterations,
    shouldStop: stopRequested(context),
    onPoint: (point, done, total) =>
      context.report(done / total, `${algo}: point ${done} of at most ${total}, busiest node ${(point.peakUtilization * 100).toFixed(1)}%, ${(point.energyJ / 1000).toPrecision(6)} kJ`, {
        point: done,
        of: total,
        energyJ: point.energyJ,
        peak: point.peakUtilization,
      }),
  });
  // A cancelled sweep ends as cancelled, not as a short front.
  context.checkpoint();
  return front;
}
