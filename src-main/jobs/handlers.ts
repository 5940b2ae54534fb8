/**
 * Job handlers of the production worker, one per kind of `JouleJobs`, each in its task file under
 * `tasks/`. A task loads on first use, so a worker starts fast and a job that never runs
 * (training, with onnxruntime and the autodiff) costs nothing.
 */
import type { ModelSource } from '../common/api/models';
import { withModelFile } from '../core/onnx/errors';
import type { JobHandlers } from './context';
import type { JouleJobs } from './catalog';

/** The file a request's model comes from (null for the zoo), for error messages. */
const fileOf = (model: ModelSource | string | undefined): string | null =>
  model === undefined ? null : typeof model === 'string' ? (model.startsWith('zoo:') ? null : model) : 'zoo' in model ? null : model.path;

/** Runs a task on one model; an ONNX error it throws names the model's file (issue 14). */
async function onModel<T>(model: ModelSource | string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw withModelFile(error, fileOf(model));
  }
}

export const handlers: JobHandlers<JouleJobs> = {
  'project.check': async (input, context) => (await import('./tasks/project-check')).checkModelFiles(input.models, input.baseDir, context),
  'models.import': async (input, context) => (await import('./tasks/model-import')).importModel(input, context),
  'models.export': async (input, context) => (await import('./tasks/zoo-export')).exportZooModel(input, context),
  'devices.validate': async (input, context) => (await import('./tasks/devices-validate')).validateDevices(input, context),
  'energy.analyze': async (input, context) => onModel(input.model, async () => (await import('./tasks/energy-analysis')).analyzeEnergy(input, context)),
  'energy.partition': async (input, context) => onModel(input.model, async () => (await import('./tasks/energy-partition')).partitionEnergy(input, context)),
  'energy.profile': async (input, context) => onModel(input.model, async () => (await import('./tasks/energy-profile')).profileOnHost(input, context)),
  'energy.calibrate': async (input, context) => (await import('./tasks/energy-calibrate')).calibrateDevices(input, context),
  // Training blocks the worker inside onnxruntime for each step; progress arrives between steps.
  'train.run': async (input, context) => onModel(input.model, async () => (await import('./tasks/train')).train(input, context)),
  'train.eval': async (input, context) => onModel(input.model, async () => (await import('./tasks/evaluate')).evaluate(input, context)),
  'prune.run': async (input, context) => onModel(input.model, async () => (await import('./tasks/prune')).prune(input, context)),
  'placement.problem': async (input, context) => (await import('./tasks/placement-problem')).buildProblem(input, context),
  // HiGHS and the colonies start their own threads; the MIP's solve blocks inside WebAssembly.
  'placement.run': async (input, context) => (await import('./tasks/placement-run')).runPlacement(input, context),
  'placement.pareto': async (input, context) => (await import('./tasks/placement-pareto')).runParetoSweep(input, context),
  'placement.gap': async (input, context) => (await import('./tasks/placement-gap')).runGapInstance(input, context),
  'placement.fleet': async (input, context) => (await import('./tasks/placement-fleet')).generateFleetProblem(input, context),
  'plan.compare': async (input, context) => (await import('./tasks/plan-compare')).comparePlans(input, context),
  'plan.export': async (input, context) => (await import('./tasks/plan-export')).exportBundle(input, context),
  'plan.verify': async (input, context) => (await import('./tasks/plan-verify')).verifyBundle(input, context),
  'plan.demo': async (input, context) => (await import('./tasks/demo')).runDemo(input, context),
};
