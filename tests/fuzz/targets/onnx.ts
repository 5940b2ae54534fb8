/**
 * The ONNX reader and what runs on the model it returns: `decodeOnnx` (protobuf, tensors,
 * external data, Constant folding, topological order), then shape inference, the op counter and
 * the summary, and the energy analysis on the Eyeriss profile. Cases are protobuf-aware mutations (dims, data types, data lengths, value infos,
 * operators, attributes, opsets, external data locations) of real models, sometimes followed by
 * byte flips, truncation and splicing of the encoded bytes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { eyerissProfile } from '../../../src-main/core/energy/builtin-profiles';
import { countModel } from '../../../src-main/core/onnx/count';
import { modelProto } from '../../../src-main/core/onnx/proto';
import type { AttributeMsg, GraphMsg, ModelMsg, TensorMsg, ValueInfoMsg } from '../../../src-main/core/onnx/proto';
import { decodeOnnx } from '../../../src-main/core/onnx/read';
import { inferShapes } from '../../../src-main/core/onnx/shapes';
import { summarizeModel } from '../../../src-main/core/onnx/summary';
import { encodeOnnx } from '../../../src-main/core/onnx/write';
import { zoo } from '../../../src-main/core/zoo/registry';
import { ifModel, loopModel, scanModel } from '../../core/onnx/control-flow-models';
import { type FuzzRng, mutateBytes } from '../mutate';
import type { FuzzTarget } from '../runner';

const SOURCE = 'fuzz.onnx';
const eyeriss = eyerissProfile();
let baseDir: string | undefined;

const hugeInts = [0, -1, 1, 3, -7, 2 ** 31, 2 ** 31 - 1, 2 ** 40, 2 ** 53, 1e15, 65_536];
const opTypes = ['Conv', 'Gemm', 'MatMul', 'Relu', 'Add', 'Reshape', 'Concat', 'Flatten', 'MaxPool', 'Gather', 'Slice', 'Transpose', 'Split', 'Expand', 'Tile', 'Range', 'ConstantOfShape', 'Loop', 'If', 'Scan', 'Resize', 'Pad', 'Shape', 'Unsqueeze', 'Squeeze', 'Constant', 'Einsum', 'NonMaxSuppression', '', 'Foo'];

function allGraphs(g: GraphMsg | null | undefined, out: GraphMsg[] = []): GraphMsg[] {
  if (!g) return out;
  out.push(g);
  for (const n of g.node) for (const a of n.attribute) allGraphs(a.g, out);
  return out;
}

function mutateTensor(t: TensorMsg, rng: FuzzRng): void {
  switch (rng.int(6)) {
    case 0:
      if (t.dims.length) t.dims[rng.int(t.dims.length)] = rng.pick(hugeInts);
      else t.dims.push(rng.pick(hugeInts));
      break;
    case 1:
      if (rng.chance(0.5)) t.dims.push(rng.pick(hugeInts));
      else t.dims.pop();
      break;
    case 2:
      t.data_type = rng.int(26);
      break;
    case 3:
      t.raw_data = rng.chance(0.5) ? t.raw_data.slice(0, rng.int(t.raw_data.length + 1)) : new Uint8Array(t.raw_data.length + 1 + rng.int(9));
      break;
    case 4:
      t.raw_data = new Uint8Array(0);
      if (rng.chance(0.5)) t.float_data = Array.from({ length: rng.int(20) }, () => rng.next());
      else t.int64_data = Array.from({ length: rng.int(20) }, () => rng.pick(hugeInts));
      break;
    default:
      t.data_location = 1;
      t.external_data = [
        { key: 'location', value: rng.pick(['weights.bin', '../weights.bin', '/etc/passwd', '', 'missing.bin', 'sub/../weights.bin', '/dev/zero']) },
        ...(rng.chance(0.5) ? [{ key: rng.pick(['offset', 'length']), value: rng.pick(['0', '4', '-4', '1e12', 'x', '18446744073709551616']) }] : []),
      ];
  }
}

function mutateValueInfo(v: ValueInfoMsg, rng: FuzzRng): void {
  const tt = v.type?.tensor_type;
  if (!tt) return;
  const dims = tt.shape?.dim ?? [];
  switch (rng.int(4)) {
    case 0:
      if (dims.length) Object.assign(dims[rng.int(dims.length)], { value: 'dim_value', dim_value: rng.pick(hugeInts), dim_param: '' });
      break;
    case 1:
      if (dims.length) Object.assign(dims[rng.int(dims.length)], { value: 'dim_param', dim_param: rng.pick(['N', 'batch', '', 'x y']) });
      break;
    case 2:
      tt.elem_type = rng.int(26);
      break;
    default:
      if (rng.chance(0.5)) tt.shape = null;
      else dims.splice(rng.int(dims.length + 1), rng.int(2), ...(rng.chance(0.5) ? [{ value: 'dim_value' as const, dim_value: rng.pick(hugeInts), dim_param: '' }] : []));
  }
}

function mutateAttribute(a: AttributeMsg, rng: FuzzRng): void {
  switch (rng.int(5)) {
    case 0:
      a.ints = a.ints.length && rng.chance(0.7) ? a.ints.map((v) => (rng.chance(0.5) ? rng.pick(hugeInts) : v)) : Array.from({ length: rng.int(9) }, () => rng.pick(hugeInts));
      break;
    case 1:
      a.i = rng.pick(hugeInts);
      break;
    case 2:
      a.type = rng.int(13);
      break;
    case 3:
      a.name = rng.pick(['axis', 'axes', 'perm', 'kernel_shape', 'strides', 'pads', 'group', 'dilations', 'value', 'to', 'shape', 'body', 'x']);
      break;
    default:
      a.f = rng.pick([Number.NaN, Infinity, -1, 1e30]);
  }
}

/** One to three structural mutations of a decoded ModelProto, in place. */
function mutateModel(msg: ModelMsg, rng: FuzzRng): void {
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const graphs = allGraphs(msg.graph);
    const g = graphs.length ? rng.pick(graphs) : null;
    const node = g?.node.length ? rng.pick(g.node) : null;
    const names = g ? g.node.flatMap((n) => n.output).concat(g.input.map((v) => v.name)) : [];
    switch (rng.int(12)) {
      case 0:
        if (g?.initializer.length) mutateTensor(rng.pick(g.initializer), rng);
        break;
      case 1:
        if (g) {
          const list = [...g.input, ...g.output, ...g.value_info];
          if (list.length) mutateValueInfo(rng.pick(list), rng);
        }
        break;
      case 2:
        if (node) node.op_type = rng.pick(opTypes);
        break;
      case 3:
        if (node) {
          const k = rng.int(node.input.length + 1);
          const pick = rng.pick(['', 'nowhere', ...names, ...node.output]);
          if (rng.chance(0.5)) node.input.splice(k, 1);
          else node.input.splice(k, rng.int(2), pick ?? '');
        }
        break;
      case 4:
        if (node && names.length) node.output[rng.int(Math.max(1, node.output.length))] = rng.pick(names);
        break;
      case 5:
        if (node) {
          const attrs = node.attribute.filter((a) => a.type !== 5);
          if (attrs.length) mutateAttribute(rng.pick(attrs), rng);
        }
        break;
      case 6:
        if (msg.opset_import.length) msg.opset_import[0].version = rng.pick([0, 1, 6, 7, 11, 13, 17, 21, 22, 99, -3]);
        else msg.opset_import.push({ domain: '', version: 13 });
        if (rng.chance(0.2)) msg.opset_import = [];
        break;
      case 7:
        msg.ir_version = rng.pick([0, 2, 3, 7, 13, 14, -1, 2 ** 40]);
        break;
      case 8:
        if (g && node) {
          if (rng.chance(0.5)) g.node.splice(g.node.indexOf(node), 1);
          else g.node.push({ ...node, name: node.name ? `${node.name}_dup` : '', input: [...node.input], output: [...node.output] });
        }
        break;
      case 9:
        if (g?.initializer.length) {
          const t = rng.pick(g.initializer);
          if (rng.chance(0.5)) g.initializer.splice(g.initializer.indexOf(t), 1);
          else t.name = rng.pick(names) ?? t.name;
        }
        break;
      case 10:
        if (g && node) g.output.push({ name: rng.pick(node.output.length ? node.output : ['ghost']), type: rng.chance(0.5) ? null : { value: 'tensor_type', tensor_type: { elem_type: rng.int(26), shape: null } } });
        break;
      default:
        if (g?.initializer.length && rng.chance(0.5)) {
          // a Constant node holding an initializer's tensor: exercises the Constant folding
          const t = rng.pick(g.initializer);
          g.node.unshift({ input: [], output: [rng.pick(names.length ? names : ['c'])], name: '', op_type: 'Constant', domain: '', attribute: [{ name: 'value', ref_attr_name: '', type: 4, f: 0, i: 0, s: new Uint8Array(), t, floats: [], ints: [], strings: [], g: null }] });
        } else if (node) node.domain = rng.pick(['', 'ai.onnx', 'com.microsoft', 'ai.onnx.ml', 'x']);
    }
  }
}

export const onnxTarget: FuzzTarget<Uint8Array> = {
  name: 'onnx',
  extension: 'onnx',
  async seeds() {
    const models = path.resolve(import.meta.dirname, '../../../resources/models');
    return [
      { name: 'lenet5.onnx', input: new Uint8Array(readFileSync(path.join(models, 'lenet5.onnx'))) },
      { name: 'squeezenet1_1-w0.125', input: encodeOnnx(zoo.squeezenet1_1.build({ width: 0.125 })) },
      { name: 'mobilenet_v2-w0.125', input: encodeOnnx(zoo.mobilenet_v2.build({ width: 0.125 })) },
      { name: 'if', input: encodeOnnx(ifModel()) },
      { name: 'loop', input: encodeOnnx(loopModel()) },
      { name: 'scan', input: encodeOnnx(scanModel()) },
    ];
  },
  mutate(seed, rng, donor) {
    if (rng.chance(0.3)) return mutateBytes(seed, rng, donor);
    const type = modelProto();
    const msg = type.decode(seed) as unknown as ModelMsg;
    mutateModel(msg, rng);
    const bytes = type.encode(msg as never).finish();
    return rng.chance(0.15) ? mutateBytes(bytes, rng, donor) : bytes;
  },
  async open() {
    baseDir = mkdtempSync(path.join(os.tmpdir(), 'joule-fuzz-onnx-'));
    writeFileSync(path.join(baseDir, 'weights.bin'), new Uint8Array(4096));
  },
  async close() {
    if (baseDir) rmSync(baseDir, { recursive: true, force: true });
  },
  async run(bytes) {
    const model = decodeOnnx(bytes, { source: SOURCE, baseDir, weights: bytes.length % 2 ? 'skip' : 'load' });
    inferShapes(model);
    countModel(model);
    summarizeModel(model);
    // The energy analysis walks every layer with the inferred shapes (tiling, memory fit, roofline).
    const analysis = analyzeModel(model, eyeriss, { precision: 'fp16' });
    if (!Number.isFinite(analysis.totals.energyJ) || analysis.totals.energyJ < 0) return `the analysis of a model that read without error gave energy ${analysis.totals.energyJ} J`;
  },
  // The reader names the file; shape inference, which sees a model and not a file, names the
  // node, graph input or attribute (the analysis service adds the file).
  namesCulprit: (message) => message.includes(SOURCE) || /\b(node|Node|input|output|Attribute|initializer) '[^']*'/.test(message),
  encode: (bytes) => bytes,
  decode: (bytes) => bytes,
};
