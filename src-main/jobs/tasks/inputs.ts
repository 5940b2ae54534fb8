/**
 * What the tasks resolve the same way, in one place: a model from where a request says it is,
 * the device library, a device profile from its id, and the precision to analyse at.
 */
import path from 'node:path';
import type { PrecisionChoice } from '../../common/api/energy';
import type { ModelSource } from '../../common/api/models';
import type { Precision } from '../../common/devices/profile';
import { DeviceLibrary } from '../../core/energy/device-library';
import type { EnergyProfile } from '../../core/energy/device-kind';
import { defaultPrecision, resolveProfile } from '../../core/energy/resolve-profile';
import { flattenControlFlow } from '../../core/onnx/control-flow';
import { withInputShapes } from '../../core/onnx/input-shapes';
import type { Model } from '../../core/onnx/ir';
import { resolveModelPath } from '../../core/project/paths';
import { resolveModel, ZOO_PREFIX, type ModelPurpose, type ResolvedModel } from '../../core/zoo/resolve';
import { devicesDir, shippedModelsDir, type JobEnvironment } from '../environment';

const libraries = new Map<string, Promise<DeviceLibrary>>();

/** The device library, read once per worker. */
export function deviceLibrary(env: JobEnvironment): Promise<DeviceLibrary> {
  const dir = devicesDir(env);
  let library = libraries.get(dir);
  if (!library) {
    library = DeviceLibrary.load(dir);
    // A failed read (a broken profile being fixed) is tried again by the next job.
    library.catch(() => libraries.delete(dir));
    libraries.set(dir, library);
  }
  return library;
}

/**
 * A model named by a request (a project file relative to its project, or a zoo model) as the
 * energy model reads it: the input shapes given, control flow flattened by the choices given (or
 * the costlier branch); `assumptions` says what was assumed.
 */
export function loadSourceModel(source: ModelSource, env: JobEnvironment, purpose: ModelPurpose = 'analyze'): { model: Model; name: string; assumptions: string[] } {
  const spec = 'zoo' in source ? `${ZOO_PREFIX}${source.zoo}` : resolveModelPath(source.baseDir, source.path);
  const { model, name } = resolveModel(spec, { purpose, modelsDir: shippedModelsDir(env) });
  const flat = flattenControlFlow(withInputShapes(model, source.inputShapes), source.controlFlow ?? {});
  return { model: flat.model, name, assumptions: flat.assumptions };
}

/** A MODEL argument (`zoo:NAME` or a file path) for training and evaluation. */
export function loadModelSpec(spec: string, env: JobEnvironment, purpose: ModelPurpose, seed?: number): ResolvedModel {
  return resolveModel(spec, { purpose, modelsDir: shippedModelsDir(env), seed });
}

/** A library id, `eyeriss`, `cloud-t4`, `host` (measured once, cached) or a profile `.json` file. */
export async function profileFor(id: string, env: JobEnvironment): Promise<EnergyProfile> {
  return resolveProfile(id.endsWith('.json') ? path.resolve(id) : id, { library: await deviceLibrary(env), dataDir: env.dataDir });
}

/** The precision asked for, or the device's fastest float one for 'auto' and no choice. */
export function precisionFor(choice: PrecisionChoice | undefined, profile: EnergyProfile): Precision {
  return choice === undefined || choice === 'auto' ? defaultPrecision(profile) : choice;
}
