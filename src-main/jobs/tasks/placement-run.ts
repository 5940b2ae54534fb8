/**
 * Job `placement.run`: one algorithm on a problem, judged afterwards by the independent checker,
 * with the convergence reported as it goes. The trace ends at the checker's objective, the one
 * the window's table shows.
 */
import type { PlacementRunResult, SolverSettings } from '../../common/api/placement';
import { traceEndingAt, type PlacementAlgorithm } from '../../common/placement/algorithms';
import { checkPlacement } from '../../common/placement/checker';
import type { PlacementProblem } from '../../common/placement/problem';
import { stopRequested, type Progress } from '../../core/progress';
import { compileProblem } from '../../core/schedule/compile';
import { toAssignment } from '../../core/schedule/compiled';
import { DEFAULT_TIME_LIMIT_MS } from '../../core/schedule/scheduler';
import { solve } from '../../core/schedule/solve';

export async function runPlacement(input: { problem: PlacementProblem; algo: PlacementAlgorithm; settings: SolverSettings }, context: Progress): Promise<PlacementRunResult> {
  const { problem, algo, settings } = input;
  const cp = compileProblem(problem);
  const timeLimitMs = settings.timeLimitS === undefined ? DEFAULT_TIME_LIMIT_MS : settings.timeLimitS * 1000;
  const result = await solve(algo, cp, {
    seed: settings.seed ?? 1,
    timeLimitMs,
    maxIterations: settings.maxIterations,
    threads: settings.threads ?? 1,
    shouldStop: stopRequested(context),
    onProgress: (e) =>
      context.report(Math.min(1, e.ms / timeLimitMs), `${algo}: ${e.bestObjective === null ? 'no feasible placement yet' : `best ${e.bestObjective.toPrecision(6)}`}`, {
        ms: e.ms,
        iteration: e.iteration,
        ...(e.bestObjective === null ? {} : { objective: e.bestObjective }),
      }),
  });
  context.checkpoint();
  const { assignment, variants } = toAssignment(cp, result.assignment, result.option);
  const report = checkPlacement(problem, assignment, variants);
  return {
    ...report,
    algo,
    assignment,
    variants,
    trace: traceEndingAt(result.trace, result.ms, report.objective, report.feasible),
    ms: result.ms,
    iterations: result.iterations,
    ...(result.bound === undefined ? {} : { bound: result.bound, gap: result.gap, optimal: result.optimal }),
  };
}
