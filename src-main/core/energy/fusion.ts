/**
 * Which element-wise ops run fused on the output tile of the convolution or matrix product
 * before them, as deployment runtimes do (TensorRT, TFLite and onnxruntime fuse Conv + BN +
 * activation; TensorRT also fuses the residual Add). A fused op has no memory round trip of
 * its own: its extra inputs (the other operand of an Add, a scale) are read by the layer it
 * is fused into. A batch norm directly after a Conv or Gemm is folded into its weights and
 * costs nothing at run time.
 */
import { tensorSize } from '../onnx/ir';
import type { Node } from '../onnx/ir';
import type { ShapeOf } from '../onnx/count';
import { OP_COSTS } from './op-costs';

export interface FusionPlan {
  /** Fused node name -> the node it runs inside. */
  fusedInto: Map<string, string>;
  /** Fused node name -> the chain tensor it reads (its output can overwrite it in place). */
  chainInput: Map<string, string>;
  /** Anchor node name -> tensors its fused ops read besides the chain itself. */
  sideInputs: Map<string, string[]>;
  /** Anchor node name -> the tensor the fused chain finally writes. */
  chainOutput: Map<string, string>;
  /** Names of batch norms folded into the preceding layer's weights. */
  folded: Set<string>;
}

/**
 * Plans fusion over nodes in topological order: a chain grows while its current output has
 * exactly one consumer, is not a graph output, and that consumer is a fusable element-wise op
 * producing a tensor of the same shape.
 *
 * @example planFusion(nodes, shape, outputs).fusedInto.get('layer1.0.relu') // 'layer1.0.conv1'
 */
export function planFusion(nodes: Node[], shape: ShapeOf, graphOutputs: Set<string>, enabled = true): FusionPlan {
  const plan: FusionPlan = { fusedInto: new Map(), chainInput: new Map(), sideInputs: new Map(), chainOutput: new Map(), folded: new Set() };
  if (!enabled) return plan;
  const consumers = new Map<string, Node[]>();
  const producedAt = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const out of node.outputs) if (out) producedAt.set(out, i);
  });
  for (const node of nodes) {
    for (const input of node.inputs) {
      if (!input) continue;
      const list = consumers.get(input) ?? [];
      if (!list.includes(node)) list.push(node);
      consumers.set(input, list);
    }
  }
  nodes.forEach((anchor, at) => {
    if (OP_COSTS[anchor.opType]?.category !== 'mac') return;
    let tail = anchor.outputs[0];
    const side: string[] = [];
    let first = true;
    for (;;) {
      const users = consumers.get(tail) ?? [];
      if (users.length !== 1 || graphOutputs.has(tail)) break;
      const next = users[0];
      if (!OP_COSTS[next.opType]?.fusable || next.outputs.length !== 1) break;
      const out = next.outputs[0];
      if (tensorSize(shape(out)) !== tensorSize(shape(tail))) break;
      // The fused op runs with the anchor, so its other operands must exist by then: a residual
      // Add fuses into whichever of its two branches finishes last.
      if (next.inputs.some((t) => t && t !== tail && (producedAt.get(t) ?? -1) >= at)) break;
      plan.fusedInto.set(next.name, anchor.name);
      plan.chainInput.set(next.name, tail);
      if (first && next.opType === 'BatchNormalization' && (anchor.opType === 'Conv' || anchor.opType === 'Gemm')) {
        plan.folded.add(next.name);
      } else {
        for (const input of next.inputs) if (input && input !== tail) side.push(input);
      }
      first = false;
      tail = out;
    }
    plan.sideInputs.set(anchor.name, side);
    plan.chainOutput.set(anchor.name, tail);
  });
  return plan;
}
