/** Helpers for tests that compare the independent checker, the MIP and the ACO on small hand-made instances. */
import { checkPlacement, type PlacementReport } from '../../../src-main/common/placement/checker';
import { parseProblem, type PlacementProblem, type PlacementProblemInput } from '../../../src-main/common/placement/problem';
import { solveAco } from '../../../src-main/core/schedule/aco';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { toAssignment, type CompiledProblem } from '../../../src-main/core/schedule/compiled';
import { solveMip } from '../../../src-main/core/schedule/mip';
import type { SolveResult } from '../../../src-main/core/schedule/scheduler';

export interface Solved {
  problem: PlacementProblem;
  cp: CompiledProblem;
  result: SolveResult;
  assignment: Record<string, string>;
  report: PlacementReport;
}

function judged(problem: PlacementProblem, cp: CompiledProblem, result: SolveResult): Solved {
  const { assignment, variants } = toAssignment(cp, result.assignment, result.option);
  return { problem, cp, result, assignment, report: checkPlacement(problem, assignment, variants) };
}

/** The proven MIP optimum of a problem, with the checker's report of it. */
export async function mipOptimum(input: PlacementProblemInput): Promise<Solved> {
  const problem = parseProblem(input);
  const cp = compileProblem(problem);
  const result = await solveMip(cp, { timeLimitS: 30 });
  if (!result.optimal) throw new Error('HiGHS did not prove the optimum of a tiny instance.');
  return judged(problem, cp, result);
}

/** The improved ACO on a problem (deterministic: seed and iteration limit), with the checker's report. */
export function acoBest(input: PlacementProblemInput | PlacementProblem, iterations = 20, seed = 1): Solved {
  const problem = parseProblem(input);
  const cp = compileProblem(problem);
  return judged(problem, cp, solveAco(cp, { seed, maxIterations: iterations }));
}
