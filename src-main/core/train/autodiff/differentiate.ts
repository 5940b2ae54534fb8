/**
 * Reverse-mode differentiation over the IR: copies the forward pass (training-mode where a
 * rule says so), then walks the nodes in reverse topological order, asking each operator's
 * rule for the gradients of its inputs and summing contributions when a tensor feeds several
 * consumers. The result is an ordinary ONNX graph that onnxruntime runs like any model.
 */
import { isFloatDtype } from '../../onnx/dtype';
import { opsetOf } from '../../onnx/ir';
import type { Model, Node, ValueInfo } from '../../onnx/ir';
import { sortNodes } from '../../onnx/toposort';
import { Emitter } from './emitter';
import type { FloatType } from './emitter';
import { GradientError, noGradient } from './errors';
import { normalizeOpset, TRAINING_OPSET } from './normalize';
import { pruneDead } from './prune';
import type { AutodiffOptions, BackwardContext, ForwardContext } from './rule';
import { GRADIENT_RULES } from './rules/registry';
import { inferTensorInfo } from './shapes';
import type { Dims, TensorInfo } from './dims';

export const DEFAULT_AUTODIFF_OPTIONS: AutodiffOptions = {
  batchNormMode: 'train',
  batchNormStats: 'kernel',
  convWeightGrad: 'auto',
  maxPoolGrad: 'mask',
  dropoutSeed: 0,
  nchwcBlock: 0,
};

export interface DifferentiateRequest extends Partial<AutodiffOptions> {
  /** The scalar tensor to differentiate. */
  loss: string;
  /** Graph inputs or initializers whose gradients become outputs `grad.<name>`. */
  wrt: string[];
}

/** Prefix of the gradient outputs: `grad.conv1.weight`. */
export const GRAD_PREFIX = 'grad.';

/**
 * A copy of `model` that also outputs `grad.<name>` for every name in `wrt`, plus whatever the
 * training-mode forward adds (`running.<name>` for BatchNormalization in train mode). The
 * model must compute `loss` as a scalar; other opsets are brought to 17 first (`normalizeOpset`).
 *
 * @example
 *   const m = differentiate(model, { loss: 'loss', wrt: ['x', 'conv.w'] });
 *   // outputs: ...model outputs, 'grad.x', 'grad.conv.w'
 */
export function differentiate(source: Model, request: DifferentiateRequest): Model {
  const options: AutodiffOptions = { ...DEFAULT_AUTODIFF_OPTIONS, ...stripUndefined(request) };
  // Rules read opset-17 forms (axes as inputs, Clip bounds as inputs, ...).
  const model = opsetOf(source) === TRAINING_OPSET ? source : normalizeOpset(source);
  const g = model.graph;
  const nodes = sortNodes(g);
  const info = inferTensorInfo(model);
  const lossInfo = info.get(request.loss);
  if (!lossInfo) throw new GradientError(`The loss tensor '${request.loss}' is not computed by the model.`);
  if (lossInfo.dims.some((d) => d !== 1)) {
    throw new GradientError(`The loss tensor '${request.loss}' must be a scalar, but has shape [${lossInfo.dims.join(', ')}].`);
  }
  const float = floatTypeOf(lossInfo);
  for (const w of request.wrt) {
    if (!info.has(w)) throw new GradientError(`Cannot differentiate with respect to '${w}': no such tensor.`);
  }

  const taken = new Set<string>();
  for (const v of [...g.inputs, ...g.outputs]) taken.add(v.name);
  for (const name of g.initializers.keys()) taken.add(name);
  for (const n of nodes) [n.name, ...n.inputs, ...n.outputs].forEach((t) => taken.add(t));
  const e = new Emitter(taken, float, info);
  const requires = requiresGrad(nodes, request.wrt, info);

  const saved = new Map<Node, Map<string, string>>();
  const extraOutputs: ValueInfo[] = [];
  nodes.forEach((node, index) => {
    e.scope = node.name;
    const rule = GRADIENT_RULES[node.opType];
    const store = new Map<string, string>();
    saved.set(node, store);
    const ctx: ForwardContext = {
      ...nodeContext(node, e, options),
      index,
      requiresGrad: (i) => requires.has(node.inputs[i] ?? ''),
      save: (key, tensor) => void store.set(key, tensor),
      output: (name, dims) => void extraOutputs.push({ name, dtype: float, shape: dims.map((d) => d ?? '') }),
      // A copy, so the training graph never aliases (and a caller editing it never changes) the model.
      copy: (n = node) => void e.nodes.push({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attributes: { ...n.attributes } }),
    };
    if (rule?.forward && isDefaultDomain(node)) rule.forward(ctx);
    else ctx.copy();
  });

  const grads = backward(nodes, request.loss, e, options, requires, saved);
  const outputs: ValueInfo[] = [...g.outputs];
  for (const w of request.wrt) {
    e.scope = `${GRAD_PREFIX}${w}`;
    const name = `${GRAD_PREFIX}${w}`;
    const parts = grads.get(w);
    const value = parts && parts.length > 0 ? e.sum(parts) : e.zerosLike(w);
    e.node('Identity', [value], {}, [name]);
    outputs.push({ name, dtype: float, shape: info.get(w)!.dims.map((d) => d ?? '') });
  }
  outputs.push(...extraOutputs);

  const initializers = new Map(g.initializers);
  for (const [k, v] of e.initializers) initializers.set(k, v);
  // Rules may emit onnxruntime's own operators (the blocked convolutions): import their domains.
  const domains = new Set(e.nodes.filter((n) => !isDefaultDomain(n)).map((n) => n.domain));
  const opsetImports = [...model.opsetImports, ...[...domains].filter((d) => !model.opsetImports.some((o) => o.domain === d)).map((domain) => ({ domain, version: 1 }))];
  const result: Model = {
    ...model,
    opsetImports,
    irVersion: Math.max(model.irVersion, 8),
    graph: { ...g, inputs: [...g.inputs], outputs, initializers, nodes: e.nodes, valueInfo: new Map(g.valueInfo) },
  };
  pruneDead(result.graph);
  return result;
}

/** Tensors that depend on a `wrt` tensor through differentiable input slots. */
function requiresGrad(nodes: Node[], wrt: string[], info: Map<string, TensorInfo>): Set<string> {
  const req = new Set(wrt);
  for (const node of nodes) {
    const slots = GRADIENT_RULES[node.opType]?.differentiable;
    const fed = node.inputs.some((t, i) => t !== '' && req.has(t) && (!slots || slots.includes(i)));
    if (!fed) continue;
    for (const o of node.outputs) {
      const dtype = info.get(o)?.dtype;
      if (o !== '' && dtype && isFloatDtype(dtype)) req.add(o);
    }
  }
  return req;
}

/** Runs the rules in reverse order; returns the gradient contributions left for `wrt` tensors. */
function backward(
  nodes: Node[],
  loss: string,
  e: Emitter,
  options: AutodiffOptions,
  requires: Set<string>,
  saved: Map<Node, Map<string, string>>,
): Map<string, string[]> {
  const parts = new Map<string, string[]>();
  const add = (tensor: string, g: string) => {
    const list = parts.get(tensor) ?? [];
    list.push(g);
    parts.set(tensor, list);
  };
  e.scope = `${loss}/seed`;
  add(loss, e.floats([1], e.dims(loss).map(() => 1)));
  const total = new Map<string, string>();
  const gradOf = (tensor: string): string | undefined => {
    const hit = total.get(tensor);
    if (hit) return hit;
    const list = parts.get(tensor);
    if (!list || list.length === 0) return undefined;
    const sum = e.sum(list);
    total.set(tensor, sum);
    return sum;
  };

  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k];
    e.scope = `${node.name}/grad`;
    const dys = node.outputs.map((o) => (o === '' ? undefined : gradOf(o)));
    if (dys.every((d) => d === undefined)) continue;
    const rule = GRADIENT_RULES[node.opType];
    const slots = rule?.differentiable;
    const needs = node.inputs.map((t, i) => t !== '' && requires.has(t) && (!slots || slots.includes(i)));
    if (!needs.some(Boolean)) continue;
    if (!rule || !isDefaultDomain(node)) throw noGradient(node.opType, node.name);
    const store = saved.get(node)!;
    const ctx: BackwardContext = {
      ...nodeContext(node, e, options),
      dy: (i) => dys[i],
      needs: (i) => needs[i] ?? false,
      saved: (key) => {
        const t = store.get(key);
        if (!t) throw new GradientError(`Node '${node.name}' (${node.opType}) saved no '${key}' in its forward pass.`);
        return t;
      },
    };
    const result = rule.backward(ctx);
    node.inputs.forEach((t, i) => {
      const gi = result[i];
      if (needs[i] && gi !== undefined) add(t, gi);
    });
  }
  return parts;
}

function nodeContext(node: Node, e: Emitter, options: AutodiffOptions) {
  const has = (i: number) => i < node.inputs.length && node.inputs[i] !== '';
  return {
    node,
    e,
    options,
    has,
    inDims: (i: number): Dims => e.dims(node.inputs[i]),
    outDims: (i: number): Dims => e.dims(node.outputs[i]),
    constant: (i: number) => (has(i) ? e.info.get(node.inputs[i])?.value : undefined),
    error: (message: string) => new GradientError(`Node '${node.name}' (${node.opType}): ${message}.`),
  };
}

function isDefaultDomain(node: Pick<Node, 'domain'>): boolean {
  return node.domain === '' || node.domain === 'ai.onnx';
}

function floatTypeOf(info: TensorInfo): FloatType {
  if (info.dtype === 'float32' || info.dtype === 'float64') return info.dtype;
  throw new GradientError(`The loss must be float32 or float64, but is ${info.dtype}.`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
