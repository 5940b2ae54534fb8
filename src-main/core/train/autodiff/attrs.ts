/**
 * Explicit attribute constructors for emitted nodes. The graph builder guesses int vs float
 * from the value, which turns `alpha: 1` into an int and makes onnxruntime reject the node;
 * the backward pass always knows the kind, so it says it.
 *
 * @example e.op('Gemm', [a, b], { transB: int(1), alpha: float(0.5) })
 */
import type { Attribute, DataType } from '../../onnx/ir';
import { ONNX_DTYPE_CODE } from '../../onnx/dtype';

export const int = (value: number): Attribute => ({ kind: 'int', value });
export const ints = (value: number[]): Attribute => ({ kind: 'ints', value });
export const float = (value: number): Attribute => ({ kind: 'float', value });
export const str = (value: string): Attribute => ({ kind: 'string', value });
/** The `to` attribute of Cast. */
export const dtypeAttr = (dtype: DataType): Attribute => int(ONNX_DTYPE_CODE[dtype]);
