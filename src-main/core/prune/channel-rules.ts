/**
 * How each operator couples channels, keyed by op type (default domain). A rule reads the channel
 * maps of its inputs, records the initializer slices and attribute edits that follow a pruned
 * channel, ties what must be pruned together, and sets the maps of its outputs. An operator
 * without a rule freezes every channel that reaches it (`channel-graph.ts`), so an unknown
 * coupling leaves its channels alone rather than breaking the model.
 */
import { attrInt, attrInts } from '../onnx/ir';
import type { ChannelMap, ChannelRule, RuleContext } from './channel-types';

/** The output keeps the input's channels: activations, pooling, normalisation without parameters. */
const passThrough: ChannelRule = (ctx) => {
  const x = ctx.map(ctx.node.inputs[0]);
  for (const out of ctx.node.outputs) if (out) ctx.setMap(out, x);
};

/** Atom `atoms[i]` repeated `times` times in a row: [a, a, b, b] for times 2. */
function repeatEach(atoms: Int32Array, times: number): Int32Array {
  const out = new Int32Array(atoms.length * times);
  for (let i = 0; i < atoms.length; i++) out.fill(atoms[i], i * times, (i + 1) * times);
  return out;
}

/** A weight the rule must slice; a computed weight (not an initializer) freezes the channels instead. */
function requireInitializer(ctx: RuleContext, tensor: string, what: string, atoms: (Int32Array | null)[]): boolean {
  if (ctx.isInitializer(tensor)) return true;
  for (const a of atoms) if (a) ctx.freeze(a, `The ${what} of ${ctx.node.opType} node '${ctx.node.name}' is computed, not stored, so its channels cannot be pruned.`);
  return false;
}

/** The axis a map sits on in a tensor of another rank after broadcasting (aligned from the right). */
function alignedAxis(axis: number, fromRank: number, toRank: number): number {
  return axis + (toRank - fromRank);
}

const conv: ChannelRule = (ctx) => {
  const { node } = ctx;
  const [xName, wName, bName] = node.inputs;
  const x = ctx.map(xName);
  const w = ctx.shape(wName);
  const out = node.outputs[0];
  if (!w || !requireInitializer(ctx, wName, 'weight', [x?.atoms ?? null])) return ctx.setMap(out, null);
  if (bName && !requireInitializer(ctx, bName, 'bias', [x?.atoms ?? null])) return ctx.setMap(out, null);
  const group = attrInt(node, 'group', 1);
  const cout = w[0];
  const cin = w[1] * group;
  const hasBias = !!bName;
  if (group === 1) {
    if (x) ctx.slice(wName, 1, x.atoms, 'consumer');
    const atoms = ctx.newAtoms(cout);
    ctx.slice(wName, 0, atoms, 'producer');
    if (hasBias) ctx.slice(bName, 0, atoms, 'bias');
    return ctx.setMap(out, { axis: 1, atoms });
  }
  if (group === cin && cout % cin === 0) {
    // Depthwise (channel multiplier m = cout / cin): output channel j reads input channel j / m.
    const inputAtoms = x?.atoms ?? ctx.newAtoms(cin);
    if (!x) ctx.freeze(inputAtoms, `Depthwise convolution '${node.name}' reads the network input, whose channels stay.`);
    const atoms = repeatEach(inputAtoms, cout / cin);
    ctx.slice(wName, 0, atoms, 'depthwise');
    if (hasBias) ctx.slice(bName, 0, atoms, 'bias');
    ctx.edit({ kind: 'group', node: node.name, atoms: inputAtoms });
    return ctx.setMap(out, { axis: 1, atoms });
  }
  frozenProducer(ctx, x, cout, `Convolution '${node.name}' has ${group} groups; Joule prunes plain and depthwise convolutions only, so its channels stay.`);
};

/** A producer whose channels must stay: the channels reaching it and its own `count` outputs freeze with `reason`. */
function frozenProducer(ctx: RuleContext, x: ChannelMap | null, count: number, reason: string): void {
  const atoms = ctx.newAtoms(count);
  if (x) ctx.freeze(x.atoms, reason);
  ctx.freeze(atoms, reason);
  ctx.setMap(ctx.node.outputs[0], { axis: 1, atoms });
}

const convTranspose: ChannelRule = (ctx) => {
  const { node } = ctx;
  const [xName, wName, bName] = node.inputs;
  const x = ctx.map(xName);
  const w = ctx.shape(wName);
  const out = node.outputs[0];
  if (!w || !requireInitializer(ctx, wName, 'weight', [x?.atoms ?? null])) return ctx.setMap(out, null);
  const group = attrInt(node, 'group', 1);
  if (group !== 1 || (bName && !ctx.isInitializer(bName))) {
    return frozenProducer(ctx, x, w[1] * group, `Transposed convolution '${node.name}' is grouped or has a computed bias, so its channels stay.`);
  }
  const atoms = ctx.newAtoms(w[1]);
  // ConvTranspose weights are [C_in, C_out, k...].
  if (x) ctx.slice(wName, 0, x.atoms, 'consumer');
  ctx.slice(wName, 1, atoms, 'producer');
  if (bName) ctx.slice(bName, 0, atoms, 'bias');
  ctx.setMap(out, { axis: 1, atoms });
};

/** Gemm, Y = A B + C: A's features are B's K axis, Y's features B's N axis. */
const gemm: ChannelRule = (ctx) => {
  const { node } = ctx;
  const [aName, bName, cName] = node.inputs;
  const a = ctx.map(aName);
  const b = ctx.shape(bName);
  const out = node.outputs[0];
  if (!b || !requireInitializer(ctx, bName, 'weight', [a?.atoms ?? null])) return ctx.setMap(out, null);
  const transB = attrInt(node, 'transB', 0) === 1;
  if (a && (attrInt(node, 'transA', 0) === 1 || a.axis !== 1)) {
    ctx.freeze(a.atoms, `Gemm '${node.name}' reads its input transposed, so the channels reaching it stay.`);
  } else if (a) ctx.slice(bName, transB ? 1 : 0, a.atoms, 'consumer');
  const atoms = ctx.newAtoms(transB ? b[0] : b[1]);
  ctx.slice(bName, transB ? 0 : 1, atoms, 'producer');
  if (cName) {
    const c = ctx.shape(cName);
    if (!ctx.isInitializer(cName)) ctx.freeze(atoms, `The bias of Gemm '${node.name}' is computed, not stored, so its outputs stay.`);
    else if (c && c.length > 0 && c[c.length - 1] > 1) ctx.slice(cName, c.length - 1, atoms, 'bias');
  }
  ctx.setMap(out, { axis: 1, atoms });
};

/** MatMul with a stored right operand [K, N], as a linear layer without bias. */
const matMul: ChannelRule = (ctx) => {
  const { node } = ctx;
  const [aName, bName] = node.inputs;
  const a = ctx.map(aName);
  const aShape = ctx.shape(aName);
  const b = ctx.shape(bName);
  const out = node.outputs[0];
  if (!b || b.length !== 2 || !aShape || !ctx.isInitializer(bName)) {
    if (a) ctx.freeze(a.atoms, `MatMul '${node.name}' is not a linear layer with stored weights, so the channels reaching it stay.`);
    return ctx.setMap(out, null);
  }
  if (a && a.axis === aShape.length - 1) ctx.slice(bName, 0, a.atoms, 'consumer');
  else if (a) ctx.freeze(a.atoms, `MatMul '${node.name}' contracts an axis other than the channels, so they stay.`);
  const atoms = ctx.newAtoms(b[1]);
  ctx.slice(bName, 1, atoms, 'producer');
  ctx.setMap(out, { axis: aShape.length - 1, atoms });
};

/** Normalisations with one parameter per channel, at the given input slots. */
function perChannelParams(...slots: number[]): ChannelRule {
  return (ctx) => {
    const x = ctx.map(ctx.node.inputs[0]);
    if (x) {
      for (const slot of slots) {
        const name = ctx.node.inputs[slot];
        if (!name) continue;
        if (!requireInitializer(ctx, name, 'parameters', [x.atoms])) break;
        ctx.slice(name, 0, x.atoms, slot === 1 ? 'scale' : 'norm');
      }
    }
    ctx.setMap(ctx.node.outputs[0], x);
    for (const out of ctx.node.outputs.slice(1)) if (out) ctx.setMap(out, null);
  };
}

/** PRelu: the slope is one value or one per channel ([C] or [C, 1, 1]). */
const pRelu: ChannelRule = (ctx) => {
  const x = ctx.map(ctx.node.inputs[0]);
  const slopeName = ctx.node.inputs[1];
  const slope = ctx.shape(slopeName);
  if (x && slope && slope.length > 0 && slope[0] > 1) {
    if (requireInitializer(ctx, slopeName, 'slope', [x.atoms])) ctx.slice(slopeName, 0, x.atoms, 'norm');
  }
  ctx.setMap(ctx.node.outputs[0], x);
};

/**
 * Element-wise with broadcasting (Add, Mul, ...): every operand that carries channels is tied
 * position by position (a residual Add couples both branches); a stored operand with one value
 * per channel is sliced; a computed operand that varies along the channels freezes them.
 */
const elementwise: ChannelRule = (ctx) => {
  const { node } = ctx;
  const rank = Math.max(...node.inputs.map((i) => ctx.shape(i)?.length ?? 0));
  let first: ChannelMap | null = null;
  let outAxis = -1;
  for (const input of node.inputs) {
    const m = ctx.map(input);
    const s = ctx.shape(input);
    if (!m || !s) continue;
    const axis = alignedAxis(m.axis, s.length, rank);
    if (!first) {
      first = m;
      outAxis = axis;
    } else if (axis === outAxis && m.atoms.length === first.atoms.length) ctx.tie(first.atoms, m.atoms);
    else {
      const reason = `${node.opType} '${node.name}' combines tensors whose channels do not line up, so they stay.`;
      ctx.freeze(first.atoms, reason);
      ctx.freeze(m.atoms, reason);
    }
  }
  const out = node.outputs[0];
  if (!first) return ctx.setMap(out, null);
  for (const input of node.inputs) {
    if (!input || ctx.map(input)) continue;
    const s = ctx.shape(input);
    const axis = s ? outAxis - (rank - s.length) : -1;
    const varies = !s || (axis >= 0 && s[axis] > 1);
    if (!varies) continue;
    if (ctx.isInitializer(input) && s && s[axis] === first.atoms.length) ctx.slice(input, axis, first.atoms, 'elementwise');
    else ctx.freeze(first.atoms, `${node.opType} '${node.name}' adds a computed tensor '${input}' along the channels, so they stay.`);
  }
  ctx.setMap(out, { axis: outAxis, atoms: first.atoms });
};

function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Concat on the channel axis lines up its inputs' channels; on another axis it ties them. */
const concat: ChannelRule = (ctx) => {
  const { node } = ctx;
  const out = node.outputs[0];
  const outShape = ctx.shape(out);
  if (!outShape) {
    for (const i of node.inputs) {
      const m = ctx.map(i);
      if (m) ctx.freeze(m.atoms, `Concat '${node.name}' has an unknown output shape, so the channels reaching it stay.`);
    }
    return ctx.setMap(out, null);
  }
  const axis = normalizeAxis(attrInt(node, 'axis'), outShape.length);
  const maps = node.inputs.map((i) => ctx.map(i));
  const channelAxis = maps.find((m) => m)?.axis;
  if (channelAxis === undefined) return ctx.setMap(out, null);
  if (axis === channelAxis) {
    const parts = node.inputs.map((input, k) => maps[k]?.atoms ?? new Int32Array(ctx.shape(input)?.[axis] ?? 0).fill(-1));
    const atoms = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      atoms.set(p, at);
      at += p.length;
    }
    return ctx.setMap(out, { axis, atoms });
  }
  const first = maps.find((m) => m)!;
  for (const m of maps) if (m && m !== first) ctx.tie(first.atoms, m.atoms);
  ctx.setMap(out, first);
};

/** Split on the channel axis hands each output its slice of channels; on another axis, all of them. */
const split: ChannelRule = (ctx) => {
  const { node } = ctx;
  const x = ctx.map(node.inputs[0]);
  const shape = ctx.shape(node.inputs[0]);
  const outs = node.outputs;
  if (!x || !shape) return outs.forEach((o) => o && ctx.setMap(o, null));
  const axis = normalizeAxis(attrInt(node, 'axis', 0), shape.length);
  if (axis !== x.axis) return outs.forEach((o) => o && ctx.setMap(o, x));
  const sizes = outs.map((o) => ctx.shape(o)?.[axis]);
  if (sizes.some((s) => s === undefined) || (node.inputs[1] && !ctx.isInitializer(node.inputs[1]))) {
    ctx.freeze(x.atoms, `Split '${node.name}' has sizes Joule cannot read, so its channels stay.`);
    return outs.forEach((o) => o && ctx.setMap(o, null));
  }
  let at = 0;
  const parts = sizes.map((s) => {
    const part = x.atoms.slice(at, at + s!);
    at += s!;
    return part;
  });
  parts.forEach((p, k) => {
    ctx.keepOne(p);
    if (outs[k]) ctx.setMap(outs[k], { axis, atoms: p });
  });
  ctx.edit({ kind: 'split', node: node.name, outputs: parts });
};

/** Flatten from axis 1 of [N, C, H, W]: each channel becomes a block of H x W features. */
const flatten: ChannelRule = (ctx) => {
  const { node } = ctx;
  const x = ctx.map(node.inputs[0]);
  const shape = ctx.shape(node.inputs[0]);
  const out = node.outputs[0];
  if (!x) return ctx.setMap(out, null);
  if (!shape || normalizeAxis(attrInt(node, 'axis', 1), shape.length) !== 1 || x.axis !== 1) {
    ctx.freeze(x.atoms, `Flatten '${node.name}' does not flatten from the channel axis, so the channels reaching it stay.`);
    return ctx.setMap(out, null);
  }
  ctx.setMap(out, { axis: 1, atoms: repeatEach(x.atoms, shape.slice(2).reduce((a, b) => a * b, 1)) });
};

/** A Reshape that flattens [N, C, ...] to [N, features] works like Flatten; any other Reshape freezes the channels. */
const reshape: ChannelRule = (ctx) => {
  const { node } = ctx;
  const x = ctx.map(node.inputs[0]);
  const inShape = ctx.shape(node.inputs[0]);
  const out = node.outputs[0];
  const outShape = ctx.shape(out);
  if (!x) return ctx.setMap(out, null);
  const flattens = !!inShape && !!outShape && x.axis === 1 && outShape.length === 2 && outShape[0] === inShape[0] && outShape[1] === inShape.slice(1).reduce((a, b) => a * b, 1);
  const shapeTensor = node.inputs[1];
  if (!flattens || !ctx.isInitializer(shapeTensor)) {
    ctx.freeze(x.atoms, `Reshape '${node.name}' moves the channel axis, so the channels reaching it stay.`);
    return ctx.setMap(out, null);
  }
  const atoms = repeatEach(x.atoms, inShape!.slice(2).reduce((a, b) => a * b, 1));
  ctx.edit({ kind: 'reshape', node: node.name, shapeTensor, axis: 1, atoms });
  ctx.setMap(out, { axis: 1, atoms });
};

/** Squeeze and Unsqueeze move the channel axis when they remove or add axes before it. */
function axesChange(remove: boolean): ChannelRule {
  return (ctx) => {
    const { node } = ctx;
    const x = ctx.map(node.inputs[0]);
    const inShape = ctx.shape(node.inputs[0]);
    const outShape = ctx.shape(node.outputs[0]);
    if (!x || !inShape || !outShape) return ctx.setMap(node.outputs[0], null);
    const rank = remove ? inShape.length : outShape.length;
    const axes = node.attributes.axes ? attrInts(node, 'axes') : null;
    const list = (axes ?? (remove ? inShape.flatMap((d, i) => (d === 1 ? [i] : [])) : [])).map((a) => normalizeAxis(a, rank));
    if (!axes && !remove && node.inputs[1]) {
      ctx.freeze(x.atoms, `Unsqueeze '${node.name}' takes computed axes, so the channels reaching it stay.`);
      return ctx.setMap(node.outputs[0], null);
    }
    if (remove && list.includes(x.axis)) {
      ctx.freeze(x.atoms, `Squeeze '${node.name}' removes the channel axis, so the channels reaching it stay.`);
      return ctx.setMap(node.outputs[0], null);
    }
    let axis = x.axis;
    if (remove) axis -= list.filter((a) => a < x.axis).length;
    else for (const a of [...list].sort((p, q) => p - q)) if (a <= axis) axis++;
    ctx.setMap(node.outputs[0], { axis, atoms: x.atoms });
  };
}

/** Shape reads sizes, which follow the pruned model at run time: it neither carries nor freezes channels. */
const opaqueOutput: ChannelRule = (ctx) => {
  for (const out of ctx.node.outputs) if (out) ctx.setMap(out, null);
};

export const CHANNEL_RULES: Readonly<Record<string, ChannelRule>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matMul,
  BatchNormalization: perChannelParams(1, 2, 3, 4),
  InstanceNormalization: perChannelParams(1, 2),
  PRelu: pRelu,
  Add: elementwise,
  Sub: elementwise,
  Mul: elementwise,
  Div: elementwise,
  Max: elementwise,
  Min: elementwise,
  Sum: elementwise,
  Mean: elementwise,
  Concat: concat,
  Split: split,
  Flatten: flatten,
  Reshape: reshape,
  Squeeze: axesChange(true),
  Unsqueeze: axesChange(false),
  Shape: opaqueOutput,
  Size: opaqueOutput,
  ...Object.fromEntries(
    [
      'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Elu', 'Selu', 'Softplus', 'Softsign', 'Gelu', 'Erf', 'Exp', 'Log', 'Abs', 'Neg', 'Sqrt', 'Reciprocal',
      'Identity', 'Cast', 'Dropout', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool', 'Resize', 'Upsample',
    ].map((op) => [op, passThrough]),
  ),
};
