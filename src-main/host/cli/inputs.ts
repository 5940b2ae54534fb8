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

export const BRANCH_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  placeholder: 'NODE=then|else',
  description: "Cost an If node by this branch (default: the costlier one). Repeat per node.",
};

export const TRIP_COUNT_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  placeholder: 'NODE=N',
  description: 'Trips of a Loop or Scan node whose count the graph does not fix. Repeat per node.',
};

const listOf = (raw: ParsedArgs['options'][string]) => (raw === undefined || typeof raw === 'boolean' ? [] : Array.isArray(raw) ? raw : [raw]);

/** `NODE=value` pairs of a repeatable option, each value checked by `read`. */
function pairs<T>(args: ParsedArgs, option: string, read: (value: string) => T | undefined, expected: string): Record<string, T> | undefined {
  const texts = listOf(args.options[option]);
  if (!texts.length) return undefined;
  return Object.fromEntries(
    texts.map((text) => {
      const at = text.lastIndexOf('=');
      const value = at > 0 ? read(text.slice(at + 1).trim()) : undefined;
      if (value === undefined) throw new UsageError(`--${option} expects NODE=${expected}, got "${text}".`);
      return [text.slice(0, at).trim(), value];
    }),
  );
}

/** The MODEL argument with the --input-shape, --branch and --trip-count options given. */
export function modelArgument(args: ParsedArgs): ModelSource {
  const source: ModelSource = modelSource(args.positionals[0]);
  const texts = listOf(args.options['input-shape']);
  if (texts.length) {
    const shapes = parseInputShapes(texts);
    if ('error' in shapes) throw new UsageError(`--input-shape: ${shapes.error}`);
    source.inputShapes = shapes;
  }
  const branches = pairs(args, 'branch', (v) => (v === 'then' || v === 'else' ? v : undefined), 'then or else');
  const tripCounts = pairs(args, 'trip-count', (v) => (/^\d+$/.test(v) && Number(v) >= 1 ? Number(v) : undefined), 'a positive whole number');
  if (branches || tripCounts) source.controlFlow = { ...(branches ? { branches } : {}), ...(tripCounts ? { tripCounts } : {}) };
  return source;
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
