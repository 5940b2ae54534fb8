/**
 * Quantized matrix operators seen as the float operator they compute: QLinearConv and ConvInteger
 * as Conv, QLinearMatMul and MatMulInteger as MatMul, with the data and weight inputs where the
 * float operator has them (scales and zero points dropped). Shape rules, MAC counts, the tiling
 * model and layer classes all read the float view.
 */
import type { Node } from './ir';

/** Input positions of (data, weights, bias) in each quantized operator. */
const VIEWS: Record<string, { opType: 'Conv' | 'MatMul'; inputs: number[] }> = {
  QLinearConv: { opType: 'Conv', inputs: [0, 3, 8] },
  ConvInteger: { opType: 'Conv', inputs: [0, 1] },
  QLinearMatMul: { opType: 'MatMul', inputs: [0, 3] },
  MatMulInteger: { opType: 'MatMul', inputs: [0, 1] },
};

export function isQuantizedMatrixOp(opType: string): boolean {
  return opType in VIEWS;
}

/** Positions in the quantized node of the float view's inputs, or null for other operators. */
export function floatViewInputs(opType: string): number[] | null {
  return VIEWS[opType]?.inputs ?? null;
}

/** The node as its float operator (itself for any other operator). */
export function asFloatOp(node: Node): Node {
  const view = VIEWS[node.opType];
  if (!view) return node;
  const inputs = view.inputs.map((i) => node.inputs[i] ?? '');
  while (inputs.length && !inputs[inputs.length - 1]) inputs.pop();
  return { ...node, opType: view.opType, inputs };
}
