/**
 * Removes channels from a model: every coupled initializer is sliced and every attribute that
 * counts channels is updated, so the result is a smaller standard ONNX model with the same
 * inputs and outputs. The original model is not touched. Shape-only models (weights `null`) are
 * pruned in their shapes alone, which is how the pruner prices a candidate cheaply.
 */
import { attrInt, type Attribute, type Model, type Node, type Tensor, type TensorData } from '../onnx/ir';
import type { ChannelGraph } from './channel-graph';
import type { ChannelEdit } from './channel-types';
import { PruningError } from './errors';

/** Channels to remove, by group id: `removed.get(g)[k] === 1` removes channel k of group g. */
export type Removal = Map<number, Uint8Array>;

/** The elements of `data` (shape `dims`) that survive along `axis`, keeping the positions in `kept`. */
export function sliceAxis<T extends TensorData>(data: T, dims: readonly number[], axis: number, kept: Int32Array): T {
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const length = dims[axis];
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new (data.constructor as new (n: number) => T)(outer * kept.length * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < kept.length; j++) {
      const from = (o * length + kept[j]) * inner;
      out.set(data.subarray(from, from + inner) as never, (o * kept.length + j) * inner);
    }
  }
  return out;
}

/**
 * A copy of `graph.model` without the removed channels. Throws a PruningError when the removal
 * touches a frozen group, empties a group, or empties a Split output. With `shapesOnly` the
 * copy has no weights (every initializer's data is null): enough for the energy model, and cheap.
 */
export function applyRemoval(graph: ChannelGraph, removed: Removal, options: { shapesOnly?: boolean } = {}): Model {
  const { model } = graph;
  for (const [g, mask] of removed) {
    const group = graph.groups[g];
    const count = mask.reduce((a, b) => a + b, 0);
    if (count === 0) continue;
    if (!group.prunable) throw new PruningError(`Channels of ${group.producers[0]} cannot be pruned: ${group.reason}`);
    if (count >= group.size) throw new PruningError(`Pruning would remove every channel of ${group.producers[0]}.`);
  }
  const keep = (atom: number) => atom < 0 || !removed.get(graph.atomGroup[atom])?.[graph.atomChannel[atom]];
  for (const list of graph.keepOne) {
    if (list.length && !list.some(keep)) throw new PruningError('Pruning would empty an output of a Split; keep at least one of its channels.');
  }
  const keptPositions = (atoms: Int32Array) => Int32Array.from([...atoms.keys()].filter((p) => keep(atoms[p])));

  // One slice per tensor axis: slices of the same axis were tied while the graph was built.
  const byTensor = new Map<string, Map<number, Int32Array>>();
  for (const s of graph.slices) {
    const axes = byTensor.get(s.tensor) ?? new Map<number, Int32Array>();
    if (!axes.has(s.axis)) axes.set(s.axis, s.atoms);
    byTensor.set(s.tensor, axes);
  }
  const initializers = new Map(model.graph.initializers);
  if (options.shapesOnly) for (const [name, t] of initializers) if (t.dtype.startsWith('float')) initializers.set(name, { ...t, data: null });
  for (const [name, axes] of byTensor) {
    let tensor = initializers.get(name)!;
    for (const [axis, atoms] of axes) {
      const kept = keptPositions(atoms);
      if (kept.length === atoms.length) continue;
      tensor = sliceTensor(tensor, axis, kept);
    }
    initializers.set(name, tensor);
  }

  const nodes = new Map(model.graph.nodes.map((n) => [n.name, n]));
  const edited = new Map<string, Node>();
  const nodeFor = (name: string) => {
    let node = edited.get(name);
    if (!node) {
      const original = nodes.get(name)!;
      node = { ...original, inputs: [...original.inputs], attributes: { ...original.attributes } };
      edited.set(name, node);
    }
    return node;
  };
  for (const edit of graph.edits) applyEdit(edit, nodeFor, initializers, model, keptPositions);

  return {
    ...model,
    graph: {
      ...model.graph,
      initializers,
      nodes: model.graph.nodes.map((n) => edited.get(n.name) ?? n),
      // Intermediate shapes changed; shape inference writes them again.
      valueInfo: new Map(),
    },
  };
}

function sliceTensor(tensor: Tensor, axis: number, kept: Int32Array): Tensor {
  const dims = tensor.dims.map((d, i) => (i === axis ? kept.length : d));
  return { ...tensor, dims, data: tensor.data ? sliceAxis(tensor.data, tensor.dims, axis, kept) : null };
}

function int64Tensor(name: string, values: number[]): Tensor {
  return { name, dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values, BigInt) };
}

function applyEdit(
  edit: ChannelEdit,
  nodeFor: (name: string) => Node,
  initializers: Map<string, Tensor>,
  model: Model,
  keptPositions: (atoms: Int32Array) => Int32Array,
): void {
  switch (edit.kind) {
    case 'group': {
      const node = nodeFor(edit.node);
      node.attributes.group = { kind: 'int', value: keptPositions(edit.atoms).length } satisfies Attribute;
      return;
    }
    case 'split': {
      const node = nodeFor(edit.node);
      const sizes = edit.outputs.map((atoms) => keptPositions(atoms).length);
      const opset = model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
      if (opset >= 13) {
        const name = `${edit.node}.pruned_split`;
        initializers.set(name, int64Tensor(name, sizes));
        node.inputs[1] = name;
      } else node.attributes.split = { kind: 'ints', value: sizes };
      return;
    }
    case 'reshape': {
      const node = nodeFor(edit.node);
      const shape = initializers.get(edit.shapeTensor);
      if (!shape?.data) throw new PruningError(`Reshape '${edit.node}' has no stored shape to update.`);
      const values = Array.from(shape.data as BigInt64Array, Number);
      if (values[edit.axis] > 0) values[edit.axis] = keptPositions(edit.atoms).length;
      const name = `${edit.node}.pruned_shape`;
      initializers.set(name, int64Tensor(name, values));
      node.inputs[1] = name;
      return;
    }
    default: {
      const unknown: never = edit;
      throw new Error(`Unknown channel edit ${JSON.stringify(unknown)}`);
    }
  }
}

/** Output channels of every convolution and linear layer, for before/after tables. */
export function layerWidths(model: Model): Map<string, number> {
  const widths = new Map<string, number>();
  for (const node of model.graph.nodes) {
    if (node.opType !== 'Conv' && node.opType !== 'Gemm' && node.opType !== 'ConvTranspose') continue;
    const w = model.graph.initializers.get(node.inputs[1]);
    if (!w) continue;
    const out = node.opType === 'Gemm' ? (attrInt(node, 'transB', 0) ? w.dims[0] : w.dims[1]) : node.opType === 'Conv' ? w.dims[0] : w.dims[1] * attrInt(node, 'group', 1);
    widths.set(node.name, out);
  }
  return widths;
}
