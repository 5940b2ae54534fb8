/**
 * Job handlers of the production worker, one per kind of `JouleJobs`. Each loads its module on
 * first use, so a worker starts fast and a job that never runs (training, with onnxruntime and
 * the autodiff) costs nothing.
 */
import type { JobHandlers } from './context';
import type { JouleJobs } from './catalog';

export const handlers: JobHandlers<JouleJobs> = {
  'project.check': async (input, context) => (await import('../core/project/check-models')).checkModelFiles(input.models, input.baseDir, context),
  'models.import': async (input, context) => (await import('../core/zoo/import')).importModel(input.request, input.env, context),
  'energy.analyze': async (input, context) => (await import('../core/energy/run')).runAnalysis(input.request, input.env, context),
  'energy.partition': async (input, context) => (await import('../core/energy/run')).runPartition(input.request, input.env, context),
  // Training blocks the worker inside onnxruntime for each step; progress arrives between steps.
  'train.run': async (input, context) => (await import('../core/train/run')).runTraining(input.request, input.env, context),
  'train.eval': async (input, context) => (await import('../core/train/run')).runEvaluation(input.request, input.env, context),
  'placement.problem': async (input, context) => (await import('../core/schedule/run')).buildProjectProblem(input.project, input.env, context),
  // HiGHS and the colonies start their own threads; the MIP's solve blocks inside WebAssembly.
  'placement.run': async (input, context) => (await import('../core/schedule/run')).runPlacement(input.request, context),
};
