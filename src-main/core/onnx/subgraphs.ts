/** Subgraphs of control-flow nodes (If, Loop, Scan): which tensors of the enclosing graphs they read. */
import type { Graph, Node } from './ir';

/** The subgraphs a node carries in its attributes. */
export function subgraphsOf(node: Node): Graph[] {
  return Object.values(node.attributes).flatMap((a) => (a.kind === 'graph' ? [a.value] : []));
}

/** Tensors a graph reads that it does not define itself (inputs, initializers, node outputs), nested subgraphs included. */
export function freeTensors(graph: Graph): Set<string> {
  const defined = new Set<string>(['', ...graph.inputs.map((v) => v.name), ...graph.initializers.keys()]);
  for (const n of graph.nodes) for (const o of n.outputs) defined.add(o);
  const free = new Set<string>();
  for (const n of graph.nodes) {
    for (const i of n.inputs) if (!defined.has(i)) free.add(i);
    for (const sub of subgraphsOf(n)) for (const i of freeTensors(sub)) if (!defined.has(i)) free.add(i);
  }
  return free;
}

/** Tensors of the enclosing graph a control-flow node's subgraphs read (empty for other nodes). */
export function outerReads(node: Node): string[] {
  const subs = subgraphsOf(node);
  if (!subs.length) return [];
  const free = new Set<string>();
  for (const g of subs) for (const t of freeTensors(g)) free.add(t);
  return [...free];
}
