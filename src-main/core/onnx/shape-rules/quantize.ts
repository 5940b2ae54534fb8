/**
 * Shape rules for quantization: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, and the
 * quantized matrix operators, which take the shape of the float operator they compute
 * (core/onnx/quantized.ts) and the type of their output zero point (int32 for the *Integer ones).
 */
import type { DataType } from '../ir';
import { asFloatOp, floatViewInputs } from '../quantized';
import type { RuleContext, ShapeRule } from '../shape-rule';
import { convRule } from './window';
import { matMulRule } from './linear';

/** The rule context of the float view: input i of the view is input `positions[i]` of the node. */
function floatView(ctx: RuleContext): RuleContext {
  const positions = floatViewInputs(ctx.node.opType)!;
  const node = asFloatOp(ctx.node);
  const at = (i: number) => positions[i] ?? -1;
  return {
    node,
    opset: ctx.opset,
    has: (i) => at(i) >= 0 && ctx.has(at(i)),
    input: (i) => ctx.input(at(i)),
    shape: (i) => ctx.shape(at(i)),
    dtype: (i) => ctx.dtype(at(i)),
    constInts: (i) => ctx.constInts(at(i)),
    requireConstInts: (i, what) => ctx.requireConstInts(at(i), what),
    error: ctx.error,
  };
}

function quantizedMatrix(rule: ShapeRule, outType: (ctx: RuleContext) => DataType): ShapeRule {
  return (ctx) => rule(floatView(ctx)).map((o) => ({ dtype: outType(ctx), shape: o.shape }));
}

const zeroPointType = (index: number) => (ctx: RuleContext): DataType => (ctx.has(index) ? ctx.dtype(index) : 'uint8');

export const quantizeRules: Record<string, ShapeRule> = {
  QuantizeLinear: (ctx) => [{ dtype: zeroPointType(2)(ctx), shape: ctx.shape(0) }],
  DequantizeLinear: (ctx) => [{ dtype: 'float32', shape: ctx.shape(0) }],
  DynamicQuantizeLinear: (ctx) => [
    { dtype: 'uint8', shape: ctx.shape(0) },
    { dtype: 'float32', shape: [] },
    { dtype: 'uint8', shape: [] },
  ],
  QLinearConv: quantizedMatrix(convRule, zeroPointType(7)),
  QLinearMatMul: quantizedMatrix(matMulRule, zeroPointType(7)),
  ConvInteger: quantizedMatrix(convRule, () => 'int32'),
  MatMulInteger: quantizedMatrix(matMulRule, () => 'int32'),
};
