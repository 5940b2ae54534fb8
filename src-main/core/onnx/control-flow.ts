/**
 * Control flow made flat for costing: every If replaced by the nodes of one branch, every Loop
 * and Scan unrolled over its trip count, so shape inference, the energy model and the memory fit
 * see one plain graph. Which branch, and how many trips, is an assumption the result states.
 *
 * - If: the branch the planner picks; else the one its condition selects when the shapes decide
 *   it; else the costlier one (more MACs once inlined).
 * - Loop: trip count from a constant M input, or given; the loop runs all M trips (a condition
 *   that stops it early is not evaluated). Loop-carried values chain from trip to trip; scan
 *   outputs are stacked along a new first axis.
 * - Scan (opset 9+): trip count from the scan inputs' length along their scan axis, or given;
 *   each trip reads one slice (forward order) and scan outputs are stacked along their axis.
 *
 * The flat model is for analysis only: it computes what the original computes for the chosen
 * branches and trip counts, not in general.
 */
import { attrGraph, attrInt, attrInts, opsetOf } from './ir';
import type { Graph, Model, Node, Tensor } from './ir';
import { OnnxError } from './errors';
import { countModel } from './count';
import { inferValues } from './shapes';

export interface FlattenOptions {
  /** If nodes: the branch to cost, by node name (default: the costlier one). */
  branches?: Record<string, 'then' | 'else'>;
  /** Loop and Scan nodes: trips, by node name, where the graph does not fix them. */
  tripCounts?: Record<string, number>;
  /** The batch a dynamic first dimension counts as, for the shapes decisions need. */
  batch?: number;
}

export interface Flattened {
  model: Model;
  /** One sentence per control-flow node: the branch or trip count it was costed with. */
  assumptions: string[];
}

const CONTROL_FLOW = new Set(['If', 'Loop', 'Scan']);
/** Unrolling more trips than this would build a graph too large to analyse quickly. */
export const MAX_TRIPS = 4096;

export function hasControlFlow(model: Model): boolean {
  return model.graph.nodes.some((n) => CONTROL_FLOW.has(n.opType) && !n.domain);
}

export function flattenControlFlow(model: Model, options: FlattenOptions = {}): Flattened {
  if (!hasControlFlow(model)) return { model, assumptions: [] };
  const initializers = new Map(model.graph.initializers);
  const flat: Node[] = [];
  const queue = [...model.graph.nodes];
  const assumptions: string[] = [];
  const prefix = (): Model => ({ ...model, graph: { ...model.graph, initializers, nodes: [...flat], outputs: [] } });
  const ctx: Ctx = { opset: opsetOf(model, ''), initializers, options, prefix, assumptions };

  while (queue.length) {
    const node = queue.shift()!;
    if (!CONTROL_FLOW.has(node.opType) || node.domain) {
      flat.push(node);
      continue;
    }
    const inlined = node.opType === 'If' ? inlineIf(node, ctx) : node.opType === 'Loop' ? unrollLoop(node, ctx) : unrollScan(node, ctx);
    queue.unshift(...inlined);
  }
  return { model: { ...model, graph: { ...model.graph, initializers, nodes: flat } }, assumptions };
}

interface Ctx {
  /** The default domain's opset: Squeeze and Unsqueeze take their axes as an input from 13. */
  opset: number;
  initializers: Map<string, Tensor>;
  options: FlattenOptions;
  prefix(): Model;
  assumptions: string[];
}

/**
 * A subgraph's nodes renamed under `scope`: every tensor and node it defines gets the prefix,
 * its inputs are bound to `bind` (input name -> tensor of the enclosing graph), and its
 * initializers join the model's. Returns the nodes and the enclosing names of its outputs.
 */
function instantiate(graph: Graph, scope: string, bind: Map<string, string>, ctx: Ctx): { nodes: Node[]; outputs: string[] } {
  const rename = new Map(bind);
  for (const name of graph.initializers.keys()) rename.set(name, `${scope}/${name}`);
  for (const n of graph.nodes) for (const o of n.outputs) if (o) rename.set(o, `${scope}/${o}`);
  for (const [name, t] of graph.initializers) ctx.initializers.set(`${scope}/${name}`, { ...t, name: `${scope}/${name}` });
  const nodes = graph.nodes.map((n) => renameNode(n, `${scope}/${n.name}`, rename));
  return { nodes, outputs: graph.outputs.map((o) => rename.get(o.name) ?? o.name) };
}

function renameNode(node: Node, name: string, rename: Map<string, string>): Node {
  const r = (t: string) => (t ? (rename.get(t) ?? t) : t);
  const attributes = Object.fromEntries(Object.entries(node.attributes).map(([k, a]) => [k, a.kind === 'graph' ? { kind: 'graph' as const, value: renameFree(a.value, rename) } : a]));
  return { ...node, name, inputs: node.inputs.map(r), outputs: node.outputs.map(r), attributes };
}

/** A nested subgraph with its references to renamed enclosing tensors updated (what it defines itself stays). */
function renameFree(graph: Graph, rename: Map<string, string>): Graph {
  const own = new Set([...graph.inputs.map((v) => v.name), ...graph.initializers.keys(), ...graph.nodes.flatMap((n) => n.outputs)]);
  const outer = new Map([...rename].filter(([k]) => !own.has(k)));
  const r = (t: string) => (t && !own.has(t) ? (outer.get(t) ?? t) : t);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => ({
      ...n,
      inputs: n.inputs.map(r),
      attributes: Object.fromEntries(Object.entries(n.attributes).map(([k, a]) => [k, a.kind === 'graph' ? { kind: 'graph' as const, value: renameFree(a.value, outer) } : a])),
    })),
    outputs: graph.outputs,
  };
}

const identity = (name: string, from: string, to: string): Node => ({ name, opType: 'Identity', domain: '', inputs: [from], outputs: [to], attributes: {} });

function inlineIf(node: Node, ctx: Ctx): Node[] {
  const build = (branch: 'then' | 'else') => {
    const { nodes, outputs } = instantiate(attrGraph(node, `${branch}_branch`), `${node.name}/${branch}`, new Map(), ctx);
    return [...nodes, ...node.outputs.map((out, i) => identity(`${node.name}/${branch}/out${i}`, outputs[i], out))];
  };
  const given = ctx.options.branches?.[node.name];
  if (given) {
    ctx.assumptions.push(`If node '${node.name}': costed by its ${given} branch, as asked.`);
    return build(given);
  }
  // A condition the shapes decide (an exporter's "if x.dim() == 3") picks its branch: nothing is assumed.
  const known = knownCondition(node, ctx);
  if (known !== undefined) return build(known ? 'then' : 'else');
  const thenNodes = build('then');
  const elseNodes = build('else');
  // The costlier branch, each measured after the graph so far (nested control flow counts as inlined by its own rule).
  // A branch whose shapes do not work out for these inputs (it handles another input rank, say) is not taken.
  const macs = (nodes: Node[]): { macs: number } | { error: Error } => {
    try {
      const trial = flattenControlFlow({ ...ctx.prefix(), graph: { ...ctx.prefix().graph, nodes: [...ctx.prefix().graph.nodes, ...nodes] } }, { ...ctx.options });
      return { macs: countModel(trial.model, { batch: ctx.options.batch }).macs };
    } catch (error) {
      return { error: error as Error };
    }
  };
  const [a, b] = [macs(thenNodes), macs(elseNodes)];
  if ('error' in a && 'error' in b) throw a.error;
  if ('error' in a || 'error' in b) {
    const chosen = 'error' in a ? 'else' : 'then';
    ctx.assumptions.push(`If node '${node.name}': costed by its ${chosen} branch, the only one whose shapes fit these inputs.`);
    return chosen === 'then' ? thenNodes : elseNodes;
  }
  const chosen = b.macs > a.macs ? 'else' : 'then';
  ctx.assumptions.push(`If node '${node.name}': costed by its ${chosen} branch, the costlier (${fmt(Math.max(a.macs, b.macs))} against ${fmt(Math.min(a.macs, b.macs))} MACs up to it); pick a branch to cost the other.`);
  return chosen === 'then' ? thenNodes : elseNodes;
}

/** The If's condition when shape inference folds it to a constant, else undefined. */
function knownCondition(node: Node, ctx: Ctx): boolean | undefined {
  try {
    const value = inferValues(ctx.prefix(), { batch: ctx.options.batch }).get(node.inputs[0])?.value;
    return value?.length === 1 ? value[0] !== 0 : undefined;
  } catch {
    return undefined;
  }
}

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : String(Math.round(n)));

/** Trip count of a Loop or Scan: given, else read from the graph by `fromGraph`. */
function trips(node: Node, ctx: Ctx, fromGraph: () => number | undefined, what: string): number {
  const given = ctx.options.tripCounts?.[node.name];
  const n = given ?? fromGraph();
  if (n === undefined) throw new OnnxError(`${node.opType} node '${node.name}' has no constant trip count (${what}); give one (on the command line: --trip-count ${node.name}=N).`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TRIPS) throw new OnnxError(`${node.opType} node '${node.name}' would run ${n} trips; Joule unrolls 1 to ${MAX_TRIPS} for costing.`);
  ctx.assumptions.push(`${node.opType} node '${node.name}': unrolled ${n} trip${n === 1 ? '' : 's'}${given === undefined ? '' : ', as given'}${node.opType === 'Loop' ? ' (a loop condition that stops early is not evaluated)' : ''}.`);
  return n;
}

const scalar = (name: string, value: bigint, dtype: 'int64' | 'bool'): Tensor =>
  dtype === 'int64' ? { name, dtype, dims: [], data: BigInt64Array.of(value) } : { name, dtype, dims: [], data: Uint8Array.of(Number(value)) };

function unrollLoop(node: Node, ctx: Ctx): Node[] {
  const body = attrGraph(node, 'body');
  const n = trips(node, ctx, () => {
    if (!node.inputs[0]) return undefined;
    const value = inferValues(ctx.prefix(), { batch: ctx.options.batch }).get(node.inputs[0])?.value;
    return value?.length === 1 ? value[0] : undefined;
  }, 'its M input is absent or computed at run time');
  const carried = node.inputs.slice(2);
  const scanCount = body.outputs.length - 1 - carried.length;
  const out: Node[] = [];
  let state = [...carried];
  let cond = node.inputs[1] || '';
  const scans: string[][] = Array.from({ length: scanCount }, () => []);
  for (let k = 0; k < n; k++) {
    const scope = `${node.name}/iter${k}`;
    const iterName = `${scope}/iteration`;
    ctx.initializers.set(iterName, scalar(iterName, BigInt(k), 'int64'));
    if (!cond) {
      cond = `${node.name}/always`;
      ctx.initializers.set(cond, scalar(cond, 1n, 'bool'));
    }
    const bind = new Map<string, string>([[body.inputs[0].name, iterName], [body.inputs[1].name, cond]]);
    body.inputs.slice(2).forEach((v, i) => bind.set(v.name, state[i]));
    const inst = instantiate(body, scope, bind, ctx);
    out.push(...inst.nodes);
    cond = inst.outputs[0];
    state = inst.outputs.slice(1, 1 + carried.length);
    inst.outputs.slice(1 + carried.length).forEach((t, j) => scans[j].push(t));
  }
  node.outputs.slice(0, carried.length).forEach((o, i) => o && out.push(identity(`${node.name}/final${i}`, state[i], o)));
  node.outputs.slice(carried.length).forEach((o, j) => o && out.push(...stack(`${node.name}/scan${j}`, scans[j], 0, o, ctx)));
  return out;
}

/** Squeeze or Unsqueeze of one axis, in the form the opset wants (axes as an input from 13). */
function axisOp(op: 'Squeeze' | 'Unsqueeze', name: string, from: string, to: string, axis: number, ctx: Ctx): Node {
  if (ctx.opset < 13) return { name, opType: op, domain: '', inputs: [from], outputs: [to], attributes: { axes: { kind: 'ints', value: [axis] } } };
  const axes = `${name}/axes`;
  ctx.initializers.set(axes, { name: axes, dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(axis)) });
  return { name, opType: op, domain: '', inputs: [from, axes], outputs: [to], attributes: {} };
}

/** Unsqueeze every trip's value at `axis` and concatenate them into `to`. */
function stack(scope: string, parts: string[], axis: number, to: string, ctx: Ctx): Node[] {
  const nodes: Node[] = parts.map((p, k) => axisOp('Unsqueeze', `${scope}/unsqueeze${k}`, p, `${scope}/part${k}`, axis, ctx));
  nodes.push({ name: `${scope}/concat`, opType: 'Concat', domain: '', inputs: parts.map((_, k) => `${scope}/part${k}`), outputs: [to], attributes: { axis: { kind: 'int', value: axis } } });
  return nodes;
}

function unrollScan(node: Node, ctx: Ctx): Node[] {
  const body = attrGraph(node, 'body');
  const m = attrInt(node, 'num_scan_inputs');
  const states = node.inputs.length - m;
  const scanInputs = node.inputs.slice(states);
  const inAxes = node.attributes.scan_input_axes ? attrInts(node, 'scan_input_axes') : scanInputs.map(() => 0);
  const outAxes = node.attributes.scan_output_axes ? attrInts(node, 'scan_output_axes') : body.outputs.slice(states).map(() => 0);
  const n = trips(node, ctx, () => {
    const shape = inferValues(ctx.prefix(), { batch: ctx.options.batch }).get(scanInputs[0])?.shape;
    return shape ? shape[inAxes[0] < 0 ? inAxes[0] + shape.length : inAxes[0]] : undefined;
  }, 'its scan inputs have no known length');
  const out: Node[] = [];
  let state = node.inputs.slice(0, states);
  const scans: string[][] = body.outputs.slice(states).map(() => []);
  for (let k = 0; k < n; k++) {
    const scope = `${node.name}/iter${k}`;
    const bind = new Map<string, string>();
    body.inputs.slice(0, states).forEach((v, i) => bind.set(v.name, state[i]));
    scanInputs.forEach((input, j) => {
      // Trip k reads slice k of each scan input along its axis, without that axis.
      const slice = `${scope}/slice${j}`;
      const starts = `${slice}/starts`;
      const ends = `${slice}/ends`;
      const axes = `${slice}/axes`;
      ctx.initializers.set(starts, { name: starts, dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(k)) });
      ctx.initializers.set(ends, { name: ends, dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(k + 1)) });
      ctx.initializers.set(axes, { name: axes, dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(inAxes[j])) });
      out.push({ name: slice, opType: 'Slice', domain: '', inputs: [input, starts, ends, axes], outputs: [`${slice}/cut`], attributes: {} });
      out.push(axisOp('Squeeze', `${slice}/squeeze`, `${slice}/cut`, `${slice}/value`, inAxes[j], ctx));
      bind.set(body.inputs[states + j].name, `${slice}/value`);
    });
    const inst = instantiate(body, scope, bind, ctx);
    out.push(...inst.nodes);
    state = inst.outputs.slice(0, states);
    inst.outputs.slice(states).forEach((t, j) => scans[j].push(t));
  }
  node.outputs.slice(0, states).forEach((o, i) => o && out.push(identity(`${node.name}/final${i}`, state[i], o)));
  node.outputs.slice(states).forEach((o, j) => o && out.push(...stack(`${node.name}/scan${j}`, scans[j], outAxes[j] ?? 0, o, ctx)));
  return out;
}
