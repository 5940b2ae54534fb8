/**
 * Peak memory of one inference: weights plus the largest set of activations alive at once.
 * The walk follows topological order, allocates each node's outputs before it runs (its
 * inputs are still alive), and frees a tensor after its last consumer. Views (Reshape,
 * Flatten, ...) share their input's buffer, and so do ops fused into the layer before them
 * (they overwrite its output tile in place); every other op, Concat included, gets its own
 * buffer (onnxruntime's CPU allocator copies into a Concat's output).
 */
import { isFloatDtype, DTYPE_BYTES } from '../onnx/dtype';
import { tensorSize } from '../onnx/ir';
import type { Model, Node } from '../onnx/ir';
import type { InferredValue } from '../onnx/shape-rule';
import { VIEW_OPS } from './op-costs';

export interface MemoryFit {
  weightBytes: number;
  peakActivationBytes: number;
  /** The node running when the peak is reached ('' for a graph without nodes). */
  peakActivationLayer: string;
}

/**
 * Weights and peak activations with float tensors stored at `floatBytes` per element.
 * `inPlace` maps a fused node to the input tensor its output overwrites.
 *
 * @example memoryFit(model, nodes, values, 2).peakActivationLayer // 'features.0'
 */
export function memoryFit(
  model: Model,
  nodes: Node[],
  values: Map<string, InferredValue>,
  floatBytes: number,
  inPlace: ReadonlyMap<string, string> = new Map(),
): MemoryFit {
  const g = model.graph;
  const bytesOf = (name: string): number => {
    const v = values.get(name);
    if (!v) return 0;
    return tensorSize(v.shape) * (isFloatDtype(v.dtype) ? floatBytes : DTYPE_BYTES[v.dtype]);
  };
  let weightBytes = 0;
  for (const t of g.initializers.values()) {
    weightBytes += tensorSize(t.dims) * (isFloatDtype(t.dtype) ? floatBytes : DTYPE_BYTES[t.dtype]);
  }

  // Each tensor maps to the buffer that holds it; views map to their input's buffer.
  const bufferOf = new Map<string, string>();
  for (const v of g.inputs) if (!g.initializers.has(v.name)) bufferOf.set(v.name, v.name);
  for (const node of nodes) {
    const src = inPlace.get(node.name) ?? (VIEW_OPS.has(node.opType) ? node.inputs[0] : undefined);
    const viewOf = src ? bufferOf.get(src) : undefined;
    for (const out of node.outputs) if (out) bufferOf.set(out, viewOf ?? out);
  }
  const lastUse = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const input of node.inputs) {
      const b = bufferOf.get(input);
      if (b !== undefined) lastUse.set(b, i);
    }
  });
  for (const out of g.outputs) {
    const b = bufferOf.get(out.name);
    if (b !== undefined) lastUse.set(b, Infinity);
  }

  const freeAt = new Map<number, string[]>();
  for (const [b, i] of lastUse) {
    if (!Number.isFinite(i)) continue;
    const list = freeAt.get(i) ?? [];
    list.push(b);
    freeAt.set(i, list);
  }
  let live = 0;
  for (const v of g.inputs) if (bufferOf.get(v.name) === v.name) live += bytesOf(v.name);
  let peak = live;
  let peakLayer = '';
  nodes.forEach((node, i) => {
    for (const out of node.outputs) {
      if (out && bufferOf.get(out) === out) live += bytesOf(out);
    }
    if (live > peak) {
      peak = live;
      peakLayer = node.name;
    }
    for (const b of freeAt.get(i) ?? []) live -= bytesOf(b);
    // A buffer nobody reads (an unused output) is freed right away.
    for (const out of node.outputs) {
      if (out && bufferOf.get(out) === out && !lastUse.has(out)) live -= bytesOf(out);
    }
  });
  return { weightBytes, peakActivationBytes: peak, peakActivationLayer: peakLayer || (nodes[0]?.name ?? '') };
}
