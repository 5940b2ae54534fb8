/** Checks of arguments arriving from a window or a network client before a service uses them. */
import os from 'node:os';
import type { ModelSource } from '../common/api/models';
import { InvalidRequestError } from '../common/errors';
import { formatLimit, MAX_ONNX_DIM, MAX_ONNX_TENSOR_ELEMENTS, MAX_TIME_LIMIT_S } from '../common/limits';
import { describeValue } from '../common/validation';

export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(`${name}: expected a non-empty text, got ${describeValue(value)}.`);
  }
  return value;
}

export function requireObject<T extends object>(value: unknown, name: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError(`${name}: expected an object, got ${describeValue(value)}.`);
  }
  return value as T;
}

/** A finite number of at least `min` (above it with `exclusive`). */
export function requireNumber(value: unknown, name: string, min: number, options: { exclusive?: boolean } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (options.exclusive ? value > min : value >= min);
  if (!ok) throw new InvalidRequestError(`${name}: expected a number ${options.exclusive ? 'above' : 'of at least'} ${min}, got ${describeValue(value)}.`);
  return value;
}

/** A whole number of at least `min` and, when given, at most `max` (a limit of docs/limits.md). */
export function requireInteger(value: unknown, name: string, min: number, max?: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${formatLimit(max)}`;
    throw new InvalidRequestError(`${name}: expected a whole number ${range}, got ${describeValue(value)}.`);
  }
  return value;
}

/** Absent, or a whole number of at least `min` (and at most `max`). */
export function optionalInteger(value: unknown, name: string, min: number, max?: number): number | undefined {
  return value === undefined ? undefined : requireInteger(value, name, min, max);
}

/** `{ zoo: NAME }` or `{ path, baseDir }`. */
export function requireModelSource(value: unknown, name: string): ModelSource {
  const source = requireObject<Record<string, unknown>>(value, name);
  if ('zoo' in source) requireString(source.zoo, `${name}.zoo`);
  else {
    requireString(source.path, `${name}.path`);
    requireString(source.baseDir, `${name}.baseDir`);
  }
  if (source.inputShapes !== undefined) {
    const shapes = requireObject<Record<string, unknown>>(source.inputShapes, `${name}.inputShapes`);
    for (const [input, dims] of Object.entries(shapes)) {
      if (!Array.isArray(dims) || !dims.length || dims.some((d) => !Number.isInteger(d) || d <= 0)) {
        throw new InvalidRequestError(`${name}.inputShapes[${describeValue(input)}] must be a list of positive whole numbers, got ${describeValue(dims)}.`);
      }
      const elements = dims.reduce((a: number, b: number) => a * b, 1);
      if (dims.some((d) => d > MAX_ONNX_DIM) || elements > MAX_ONNX_TENSOR_ELEMENTS) {
        throw new InvalidRequestError(
          `${name}.inputShapes["${input}"]: ${dims.join('x')} is too large; each dimension may be at most ${formatLimit(MAX_ONNX_DIM)} and the input at most ${formatLimit(MAX_ONNX_TENSOR_ELEMENTS)} elements (docs/limits.md).`,
        );
      }
    }
  }
  return source as ModelSource;
}

/** Worker or onnxruntime threads a request may ask for: this machine's cores (docs/limits.md). */
export function maxThreads(): number {
  return os.availableParallelism();
}

/** Absent, or a thread count from 1 to the machine's cores: 1000 threads grew past 8 GB (issue 14). */
export function optionalThreads(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const cores = maxThreads();
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > cores) {
    throw new InvalidRequestError(`${name}: expected a whole number from 1 to ${cores} (the cores of this computer), got ${describeValue(value)}.`);
  }
  return value;
}

/** Absent, or a number of seconds from 0 to MAX_TIME_LIMIT_S (one day, docs/limits.md). */
export function optionalTimeLimit(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIME_LIMIT_S) {
    throw new InvalidRequestError(`${name}: expected a number of seconds from 0 to ${formatLimit(MAX_TIME_LIMIT_S)} (one day), got ${describeValue(value)}.`);
  }
  return value;
}
