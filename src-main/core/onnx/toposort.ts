/**
 * Topological order of a graph's nodes. Exporters usually write nodes sorted, but hand-edited
 * or concatenated graphs are not always, and every pass over the IR (shapes, energy, autodiff)
 * relies on producers coming before consumers.
 */
import { OnnxError } from './errors';
import type { Graph, Node } from './ir';
import { outerReads } from './subgraphs';

/**
 * Returns the nodes in an order where every tensor is produced before it is read. The order
 * is stable: a graph that is already sorted keeps its order. Throws an `OnnxError` naming the
 * node and tensor when a node reads a tensor nobody produces or when nodes form a cycle.
 *
 * @example graph.nodes = sortNodes(graph)
 */
export function sortNodes(graph: Graph, where = `graph '${graph.name}'`, options: { outerScope?: boolean } = {}): Node[] {
  const nodes = graph.nodes;
  // A control-flow node also depends on the tensors its subgraphs read from this graph.
  const reads = nodes.map((node) => {
    const outer = outerReads(node);
    return outer.length ? [...node.inputs, ...outer] : node.inputs;
  });
  const available = new Set<string>(['']);
  for (const v of graph.inputs) available.add(v.name);
  for (const name of graph.initializers.keys()) available.add(name);

  const producer = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const out of node.outputs) {
      if (out === '') continue;
      const other = producer.get(out);
      if (other !== undefined) {
        throw new OnnxError(
          `In ${where}, tensor '${out}' is produced by both node '${nodes[other].name}' and node '${node.name}'.`,
        );
      }
      producer.set(out, i);
    }
  });

  const NEW = 0;
  const VISITING = 1;
  const DONE = 2;
  const state = new Uint8Array(nodes.length);
  const order: Node[] = [];
  // An explicit stack instead of recursion: exported graphs can be thousands of nodes deep.
  const stack: { index: number; next: number }[] = [];

  for (let root = 0; root < nodes.length; root++) {
    if (state[root] !== NEW) continue;
    state[root] = VISITING;
    stack.push({ index: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const node = nodes[top.index];
      const inputs = reads[top.index];
      if (top.next >= inputs.length) {
        state[top.index] = DONE;
        order.push(node);
        stack.pop();
        continue;
      }
      const tensor = inputs[top.next++];
      if (available.has(tensor)) continue;
      const p = producer.get(tensor);
      // A subgraph may read tensors of the graphs around it; the enclosing graph checks those.
      if (p === undefined && options.outerScope) continue;
      if (p === undefined) {
        throw new OnnxError(
          `In ${where}, node '${node.name}' (${node.opType}) reads tensor '${tensor}', which no node, graph input or initializer produces.`,
        );
      }
      if (state[p] === DONE) continue;
      if (state[p] === VISITING) throw cycleError(nodes, stack, p, tensor, where);
      state[p] = VISITING;
      stack.push({ index: p, next: 0 });
    }
  }
  return order;
}

const MAX_CYCLE_STEPS = 4;

function cycleError(
  nodes: Node[],
  stack: { index: number; next: number }[],
  start: number,
  closing: string,
  where: string,
): OnnxError {
  const from = stack.findIndex((s) => s.index === start);
  const chain = stack.slice(from);
  const parts = chain.map((s, j) => {
    const tensor = j === chain.length - 1 ? closing : nodes[s.index].inputs[s.next - 1];
    const next = j === chain.length - 1 ? start : chain[j + 1].index;
    const reader = j === 0 ? `node '${nodes[s.index].name}'` : 'which';
    return `${reader} reads '${tensor}' from node '${nodes[next].name}'`;
  });
  // A cycle through a whole network would make a message of pages: name its first steps only.
  const shown = parts.length > MAX_CYCLE_STEPS ? [...parts.slice(0, MAX_CYCLE_STEPS), `and so on, through ${parts.length} nodes in all`] : parts;
  return new OnnxError(`In ${where}, nodes form a cycle: ${shown.join(', ')}.`);
}
