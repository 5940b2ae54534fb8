/** What the backward pass knows about a forward tensor's size, shared by the shape pass, the emitter and the rules. */
import type { DataType } from '../../onnx/ir';

/** Dims of a tensor; `null` marks a dim that follows the batch size. */
export type Dims = (number | null)[];

export interface TensorInfo {
  dtype: DataType;
  dims: Dims;
  /** Elements known before run time (small integer or float constants), as inferred. */
  value?: number[];
}

/** A `[C]`-style group kernel size or reduce count: the product of static dims, or null. */
export function staticProduct(dims: Dims): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}
