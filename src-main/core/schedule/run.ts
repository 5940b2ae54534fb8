/**
 * One placement run as a request (plain JSON, so it runs as a worker job): solve, then judge the
 * result with the independent checker, reporting the convergence as it goes.
 */
import path from 'node:path';
import type { PlacementRunRequest, PlacementRunResult } from '../../common/api/placement';
import { checkPlacement } from '../../common/placement/checker';
import { parseProblem, type PlacementProblem } from '../../common/placement/problem';
import type { ProjectDocument } from '../../common/project/schema';
import { DeviceLibrary } from '../energy/device-library';
import type { Progress } from '../progress';
import { compileProblem } from './compile';
import { toAssignment } from './compiled';
import { problemFromProject } from './from-project';
import { solve } from './index';

/** A cancel check for solvers, which stop by returning their best rather than by throwing. */
export function stopRequested(progress: Progress): () => boolean {
  return () => {
    try {
      progress.checkpoint();
      return false;
    } catch {
      return true;
    }
  };
}

export async function runPlacement(request: PlacementRunRequest, progress: Progress): Promise<PlacementRunResult> {
  const problem = parseProblem(request.problem);
  const cp = compileProblem(problem);
  const timeLimitMs = (request.timeLimitS ?? 10) * 1000;
  const result = await solve(request.algo, cp, {
    seed: request.seed ?? 1,
    timeLimitMs,
    maxIterations: request.maxIterations,
    threads: request.threads ?? 1,
    shouldStop: stopRequested(progress),
    onProgress: (e) =>
      progress.report(Math.min(1, e.ms / timeLimitMs), `${request.algo}: ${e.bestObjective === null ? 'no feasible placement yet' : `best ${e.bestObjective.toPrecision(6)}`}`, {
        ms: e.ms,
        iteration: e.iteration,
        ...(e.bestObjective === null ? {} : { objective: e.bestObjective }),
      }),
  });
  progress.checkpoint();
  const { assignment, variants } = toAssignment(cp, result.assignment, result.option);
  const report = checkPlacement(problem, assignment, variants);
  return {
    ...report,
    algo: request.algo,
    assignment,
    variants,
    trace: result.trace,
    ms: result.ms,
    iterations: result.iterations,
    ...(result.bound === undefined ? {} : { bound: result.bound, gap: result.gap, optimal: result.optimal }),
  };
}

export interface ProjectProblemEnvironment {
  resourcesDir: string;
}

/** The project's placement problem, built in a worker (it reads every model and runs the energy model). */
export async function buildProjectProblem(project: { document: ProjectDocument; baseDir: string }, env: ProjectProblemEnvironment, progress: Progress): Promise<PlacementProblem> {
  progress.report(null, 'Analysing every model on every device type');
  const library = await DeviceLibrary.load(path.join(env.resourcesDir, 'devices'));
  return problemFromProject(project.document, project.baseDir, library);
}
