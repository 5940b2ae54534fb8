/** Job `placement.gap`: one instance of an OR-Library generalized assignment file, by one algorithm. */
import path from 'node:path';
import type { GapRunRequest, GapRunResult } from '../../common/api/placement';
import { ScheduleError } from '../../common/errors';
import { stopRequested } from '../../core/progress';
import { gapToCompiled, readGapFile } from '../../core/schedule/gap';
import { DEFAULT_TIME_LIMIT_MS } from '../../core/schedule/scheduler';
import { solve } from '../../core/schedule/solve';
import type { JobContext } from '../context';

export async function runGapInstance(request: GapRunRequest, context: JobContext): Promise<GapRunResult> {
  const gap = await readGapFile(request.file);
  const instance = gap.instances[request.instance - 1];
  if (!instance) throw new ScheduleError(`${path.basename(request.file)} has ${gap.instances.length} instances; instance ${request.instance} is out of range.`);
  const maximize = request.maximize ?? gap.maximize;
  const result = await solve(request.algo, gapToCompiled(instance, maximize), {
    seed: request.seed ?? 1,
    timeLimitMs: request.timeLimitS === undefined ? DEFAULT_TIME_LIMIT_MS : request.timeLimitS * 1000,
    maxIterations: request.maxIterations,
    threads: request.threads ?? 1,
    shouldStop: stopRequested(context),
  });
  return {
    file: request.file,
    instance: request.instance,
    maximize,
    algo: request.algo,
    objective: result.objective,
    feasible: result.feasible,
    assignment: Array.from(result.assignment),
    trace: result.trace,
    ms: result.ms,
    iterations: result.iterations,
    ...(result.bound === undefined ? {} : { bound: result.bound, gap: result.gap, optimal: result.optimal }),
  };
}
