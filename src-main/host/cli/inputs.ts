/** Command-line arguments turned into the contract's requests: models, datasets, lists of numbers. */
import path from 'node:path';
import type { ModelSource } from '../../common/api/models';
import type { DatasetChoice } from '../../common/api/training';
import { parseInputShapes } from '../../common/models/input-shapes';
import { UsageError, type OptionSpec, type ParsedArgs } from './command';

export const MODEL_ARGUMENT = { name: 'MODEL', description: 'An .onnx file or zoo:NAME (see joule zoo list).' };

const ZOO_PREFIX = 'zoo:';

/** `zoo:NAME`, or a file relative to the current folder. */
export function modelSource(spec: string): ModelSource {
  return spec.startsWith(ZOO_PREFIX) ? { zoo: spec.slice(ZOO_PREFIX.length) } : { path: spec, baseDir: process.cwd() };
}

export const INPUT_SHAPE_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  placeholder: 'NAME=D1xD2x..',
  description: 'Shape of an input whose dimensions the model leaves dynamic, e.g. x=1x3x640x640 (repeat per input; a bare 1x3x640x640 for a one-input model).',
};

/** The MODEL argument with the --input-shape options given. */
export function modelArgument(args: ParsedArgs): ModelSource {
  const raw = args.options['input-shape'];
  const texts = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  if (!texts.length) return modelSource(args.positionals[0]);
  const shapes = parseInputShapes(texts);
  if ('error' in shapes) throw new UsageError(`--input-shape: ${shapes.error}`);
  return { ...modelSource(args.positionals[0]), inputShapes: shapes };
}

/** `zoo:NAME` as it is, a file as an absolute path (jobs may run with another working folder). */
export function modelSpec(spec: string): string {
  return spec.startsWith(ZOO_PREFIX) ? spec : path.resolve(spec);
}

export function datasetOption(args: ParsedArgs): DatasetChoice {
  const value = args.options.dataset;
  if (typeof value !== 'string') throw new UsageError('Missing --dataset.');
  return value === 'fashion-mnist' || value === 'mnist' ? value : { folder: path.resolve(value) };
}

/** `0.5` or `0.485,0.456,0.406`. */
export function numberListOption(args: ParsedArgs, name: string, options: { positive?: boolean } = {}): number[] | undefined {
  const raw = args.options[name];
  if (raw === undefined) return undefined;
  const values = String(raw).split(',').map((v) => Number(v.trim()));
  if (!values.length || values.some((v) => !Number.isFinite(v))) throw new UsageError(`--${name} expects numbers separated by commas, got "${String(raw)}".`);
  if (options.positive && values.some((v) => v <= 0)) throw new UsageError(`--${name} values must be positive, got "${String(raw)}".`);
  return values;
}
