/**
 * The contract between the shape-inference driver (`shapes.ts`) and the per-operator rules in
 * `shape-rules/`: a rule reads its node's input types (and constant integer values, where
 * known) through a `RuleContext` and returns one `InferredOutput` per node output.
 */
import type { OnnxError } from './errors';
import type { DataType, Node } from './ir';

/** A tensor's inferred type. Shapes are concrete: dynamic batch dims count as 1. */
export interface InferredValue {
  dtype: DataType;
  shape: number[];
  /**
   * The tensor's elements in row-major order when they are small integers known before run
   * time (initializers, Constant outputs, folded Shape/Gather/Concat chains). Undefined otherwise.
   */
  value?: number[];
}

export type InferredOutput = InferredValue;

export interface RuleContext {
  readonly node: Node;
  /** The opset version of the node's domain. */
  readonly opset: number;
  /** Whether input `i` is present (not omitted with '' or missing from the list). */
  has(i: number): boolean;
  /** The inferred type of input `i`; throws naming the node when it is absent. */
  input(i: number): InferredValue;
  shape(i: number): number[];
  dtype(i: number): DataType;
  /** Constant integer elements of input `i`, or undefined when computed at run time. */
  constInts(i: number): number[] | undefined;
  /** Like `constInts` but throws, naming `what` ("shape", "axes"), when not constant. */
  requireConstInts(i: number, what: string): number[];
  /** An `OnnxError` naming the node, for a rule to throw. */
  error(message: string): OnnxError;
}

/** Infers a node's outputs from its inputs. */
export type ShapeRule = (ctx: RuleContext) => InferredOutput[];

/** Axis in [-rank, rank) to [0, rank); throws naming the node when out of range. */
export function normAxis(ctx: RuleContext, axis: number, rank: number): number {
  if (axis < -rank || axis >= rank) throw ctx.error(`axis ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/**
 * Numpy-style broadcast of several shapes.
 *
 * @example broadcastShapes(ctx, [[8, 1, 3], [4, 1]]) // [8, 4, 3]
 */
export function broadcastShapes(ctx: RuleContext, shapes: number[][]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === 1) continue;
      if (dim !== 1 && d !== dim) {
        throw ctx.error(`cannot broadcast shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')}`);
      }
      dim = d;
    }
    out.push(dim);
  }
  return out;
}

/** Product of dims; 1 for a scalar. */
export function product(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** The most elements a folded constant may have: shape arithmetic is tiny, weights are not. */
export const MAX_FOLDED_ELEMENTS = 4096;
/** Floating-point constants up to this many elements keep their values (Resize scales, clip bounds), even when weights are skipped. */
export const MAX_FOLDED_FLOATS = 8;

/** `value` if small enough to keep as a folded constant, else undefined. */
export function foldable(value: number[] | undefined): number[] | undefined {
  return value !== undefined && value.length <= MAX_FOLDED_ELEMENTS ? value : undefined;
}
