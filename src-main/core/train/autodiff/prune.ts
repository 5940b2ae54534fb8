/**
 * Dead-node elimination: a backward pass written rule by rule emits some tensors nobody reads
 * (the gradient of a frozen weight's producer, a Split output of an unused Concat input).
 * Keeping only what the graph outputs depend on is simpler and safer than having every rule
 * predict what will be read.
 */
import type { Graph } from '../../onnx/ir';

/**
 * Removes the nodes no graph output depends on and the initializers nothing reads.
 * Graph inputs stay, so the training graph's signature does not depend on the model.
 */
export function pruneDead(graph: Graph): void {
  const live = new Set(graph.outputs.map((o) => o.name));
  const kept: boolean[] = new Array(graph.nodes.length).fill(false);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!node.outputs.some((o) => o !== '' && live.has(o))) continue;
    kept[i] = true;
    for (const t of node.inputs) live.add(t);
  }
  graph.nodes = graph.nodes.filter((_, i) => kept[i]);
  for (const name of [...graph.initializers.keys()]) if (!live.has(name)) graph.initializers.delete(name);
  for (const name of [...graph.valueInfo.keys()]) if (!live.has(name)) graph.valueInfo.delete(name);
}
