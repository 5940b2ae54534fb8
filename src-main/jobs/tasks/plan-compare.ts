/**
 * Job `plan.compare`: the improved ACO choosing a variant and a node for every workload of a
 * project together, beside (a) every workload on its original model and (b) every model compressed
 * once for the whole fleet, each placed by the same algorithm with the same settings.
 */
import type { PlanReport, PlanRequest, StrategyOutcome } from '../../common/api/plan';
import type { PlacementProblem } from '../../common/placement/problem';
import { partOf } from '../../core/progress';
import { problemFromProject } from '../../core/schedule/from-project';
import { oneVariantEach, originalsOnly } from '../../core/schedule/strategies';
import type { JobContext } from '../context';
import { deviceLibrary } from './inputs';
import { runPlacement } from './placement-run';

export async function comparePlans(request: PlanRequest, context: JobContext): Promise<PlanReport> {
  const { project, ...settings } = request;
  context.report(null, 'Analysing every model and variant on every device type');
  const problem = problemFromProject(project.document, project.baseDir, await deviceLibrary(context.env));
  const solve = (p: PlacementProblem, from: number, to: number) => runPlacement({ problem: p, algo: 'aco', settings }, partOf(context, from, to));
  const joint = await solve(problem, 0.05, 0.4);
  const outcome = async (p: () => PlacementProblem, from: number, to: number): Promise<StrategyOutcome> => {
    try {
      return { result: await solve(p(), from, to), error: null };
    } catch (error) {
      if ((error as Error).name === 'JobCancelledError') throw error;
      return { result: null, error: (error as Error).message };
    }
  };
  const originals = await outcome(() => originalsOnly(problem), 0.4, 0.7);
  const oneVariant = await outcome(() => oneVariantEach(problem), 0.7, 1);
  const saving = (o: StrategyOutcome) => (o.result?.feasible && joint.feasible ? o.result.energyJ - joint.energyJ : null);
  return { problem, joint, originals, oneVariant, savingVsOriginalsJ: saving(originals), savingVsOneVariantJ: saving(oneVariant) };
}
