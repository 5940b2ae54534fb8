/**
 * ONNX protobuf -> IR. Normalises what exporters disagree on, so the rest of Joule sees one
 * form: graph inputs never include initializers, every node has a unique name, nodes are in
 * topological order, float16 stays as raw bits and external data is loaded.
 */
import { readRegularFileSync, UnreadableFileError } from '../io/regular-file';
import { dirname } from 'node:path';
import { dtypeFromCode, isFloatDtype, onnxDtypeName } from './dtype';
import { OnnxError } from './errors';
import type { Attribute, Dim, Graph, Model, Node, Tensor, ValueInfo } from './ir';
import { ATTR_TYPE, modelProto, toNumber } from './proto';
import type { AttributeMsg, GraphMsg, ModelMsg, NodeMsg, ValueInfoMsg } from './proto';
import { checkTensorDims, decodeTensor } from './tensor-decode';
import type { TensorDecodeContext } from './tensor-decode';
import { MAX_FOLDED_FLOATS } from './shape-rule';
import { sortNodes } from './toposort';

/** IR versions Joule reads: 3 introduced opset imports; 13 is the newest onnxruntime 1.30 loads. */
export const MIN_IR_VERSION = 3;
export const MAX_IR_VERSION = 13;

export interface DecodeOptions {
  /** Directory that external data locations are relative to (the model file's folder). */
  baseDir?: string;
  /** How error messages name the bytes, usually the file path. */
  source?: string;
  /**
   * 'skip' leaves floating-point weights as `data: null` (shape-only analysis of big models);
   * integer tensors are loaded either way because shape inference reads them.
   */
  weights?: 'load' | 'skip';
}

/**
 * Reads an ONNX file, loading external data from the file's folder.
 *
 * @example const model = readOnnxFile('models/resnet18.onnx', { weights: 'skip' })
 */
export function readOnnxFile(path: string, options: Omit<DecodeOptions, 'baseDir' | 'source'> = {}): Model {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(path, 'onnx');
  } catch (e) {
    if (e instanceof UnreadableFileError) throw new OnnxError(`Cannot read ONNX model '${path}': ${e.reason === 'missing' ? 'no such file' : e.why}.`);
    throw e;
  }
  return decodeOnnx(bytes, { ...options, baseDir: dirname(path), source: path });
}

/** Decodes ONNX protobuf bytes into the IR. Throws `OnnxError` naming `source` on bad input. */
export function decodeOnnx(bytes: Uint8Array, options: DecodeOptions = {}): Model {
  const source = options.source ?? 'ONNX bytes';
  const msg = decodeMessage(bytes, source);
  const irVersion = toNumber(msg.ir_version);
  if (!msg.graph) {
    throw new OnnxError(`'${source}' is not an ONNX model: it holds no graph.`);
  }
  if (irVersion < MIN_IR_VERSION || irVersion > MAX_IR_VERSION) {
    throw new OnnxError(
      `'${source}' uses ONNX IR version ${irVersion}, but Joule reads versions ${MIN_IR_VERSION} to ${MAX_IR_VERSION}.`,
    );
  }
  const ctx: TensorDecodeContext = { source, baseDir: options.baseDir, weights: options.weights ?? 'load' };
  const metadata: Record<string, string> = {};
  for (const { key, value } of msg.metadata_props) metadata[key] = value;
  return {
    irVersion,
    opsetImports: msg.opset_import.map((o) => ({ domain: o.domain, version: toNumber(o.version) })),
    producerName: msg.producer_name,
    producerVersion: msg.producer_version,
    graph: decodeGraph(msg.graph, ctx),
    metadata,
  };
}

function decodeMessage(bytes: Uint8Array, source: string): ModelMsg {
  try {
    return modelProto().decode(bytes) as unknown as ModelMsg;
  } catch (e) {
    const reason = (e as Error).message;
    // Exporters write ir_version (field 1, varint: tag byte 0x08) first, so bytes that start
    // like a model but run out mid-message are a cut file; anything else is not ONNX at all.
    const runsOut = e instanceof RangeError || /index out of range/.test(reason);
    if (runsOut && bytes[0] === 0x08) {
      throw new OnnxError(`'${source}' is truncated: its ${bytes.length} bytes end in the middle of an ONNX message.`, { reason });
    }
    throw new OnnxError(`'${source}' is not an ONNX model: its bytes are not an ONNX protobuf message.`, { reason });
  }
}

/** `subgraph`: a control-flow body, which may read tensors of the graphs around it. */
function decodeGraph(msg: GraphMsg, ctx: TensorDecodeContext, subgraph = false): Graph {
  if (msg.sparse_initializer.length > 0) {
    const name = msg.sparse_initializer[0].values?.name ?? '?';
    throw new OnnxError(`In '${ctx.source}', initializer '${name}' is sparse, which Joule does not support.`);
  }
  const initializers = new Map<string, Tensor>();
  for (const t of msg.initializer) initializers.set(t.name, decodeTensor(t, ctx, `initializer '${t.name}'`));

  // IR < 4 required initializers to be listed as inputs too; they are not real inputs.
  const io = (v: ValueInfoMsg, role: string) => (subgraph && !v.type?.value ? { name: v.name, dtype: 'float32' as const, shape: null, untyped: true } : decodeValueInfo(v, ctx, role));
  const inputs = msg.input.filter((v) => !initializers.has(v.name)).map((v) => io(v, 'input'));
  const outputs = msg.output.map((v) => io(v, 'output'));
  const valueInfo = new Map<string, ValueInfo>();
  for (const v of msg.value_info) {
    // value_info is an optional hint: skip entries Joule cannot represent rather than reject the model.
    const elem = v.type?.tensor_type?.elem_type;
    if (elem === undefined || dtypeFromCode(elem) === null) continue;
    valueInfo.set(v.name, decodeValueInfo(v, ctx, 'value'));
  }

  const taken = new Set(msg.node.map((n) => n.name).filter((n) => n !== ''));
  const decoded = msg.node.map((n, i) => decodeNode(n, uniqueName(n, i, taken), ctx));
  const graphOutputs = new Set(outputs.map((o) => o.name));
  const nodes = decoded.filter((node) => !constantToInitializer(node, initializers, graphOutputs, ctx));
  const graph: Graph = { name: msg.name, inputs, outputs, initializers, nodes, valueInfo };
  graph.nodes = sortNodes(graph, subgraph ? `a subgraph of '${ctx.source}'` : `'${ctx.source}'`, { outerScope: subgraph });
  return graph;
}

/**
 * Exporters that keep weights in Constant nodes (paddle2onnx, some tf2onnx graphs) hide them from
 * everything that looks for weights among the initializers (memory fit, weight traffic, pruning):
 * a Constant holding a floating-point tensor becomes the initializer of its output. Integer
 * constants (shapes, axes) stay nodes. Returns true when the node was moved.
 */
function constantToInitializer(node: Node, initializers: Map<string, Tensor>, graphOutputs: Set<string>, ctx: TensorDecodeContext): boolean {
  const value = node.attributes.value;
  const out = node.outputs[0];
  if (node.opType !== 'Constant' || node.domain || value?.kind !== 'tensor' || !isFloatDtype(value.value.dtype) || !out || graphOutputs.has(out) || initializers.has(out)) return false;
  const small = value.value.dims.reduce((a, b) => a * b, 1) <= MAX_FOLDED_FLOATS;
  initializers.set(out, { ...value.value, name: out, data: ctx.weights === 'skip' && !small ? null : value.value.data });
  return true;
}

/** `${opType}_${index}` (index in the file's node list) for unnamed nodes, kept unique. */
function uniqueName(msg: NodeMsg, index: number, taken: Set<string>): string {
  if (msg.name !== '') return msg.name;
  let name = `${msg.op_type}_${index}`;
  for (let k = 1; taken.has(name); k++) name = `${msg.op_type}_${index}_${k}`;
  taken.add(name);
  return name;
}

function decodeValueInfo(msg: ValueInfoMsg, ctx: TensorDecodeContext, role: string): ValueInfo {
  const tt = msg.type?.tensor_type;
  if (!tt) {
    throw new OnnxError(
      `In '${ctx.source}', graph ${role} '${msg.name}' is not a tensor; sequences, maps and optionals are not supported.`,
    );
  }
  const dtype = dtypeFromCode(tt.elem_type);
  if (dtype === null) {
    throw new OnnxError(
      `In '${ctx.source}', graph ${role} '${msg.name}' has data type ${onnxDtypeName(tt.elem_type)}, which Joule does not support.`,
    );
  }
  // An absent dimension value is an unknown size: kept as the empty symbolic name ''.
  const shape: Dim[] | null = tt.shape
    ? tt.shape.dim.map((d) =>
        d.value === 'dim_value' ? toNumber(d.dim_value) : d.value === 'dim_param' ? d.dim_param : '',
      )
    : null;
  // A declared size feeds random inputs, activation estimates and training buffers: bound it here.
  const known = shape?.filter((d): d is number => typeof d === 'number' && d > 0) ?? []; // some exporters write -1 for a free size
  if (known.length) checkTensorDims(known, ctx.source, `graph ${role} '${msg.name}'`);
  return { name: msg.name, dtype, shape };
}

function decodeNode(msg: NodeMsg, name: string, ctx: TensorDecodeContext): Node {
  const attributes: Record<string, Attribute> = {};
  for (const a of msg.attribute) attributes[a.name] = decodeAttribute(a, name, msg.op_type, ctx);
  return {
    name,
    opType: msg.op_type,
    domain: msg.domain,
    inputs: [...msg.input],
    outputs: [...msg.output],
    attributes,
  };
}

const utf8 = new TextDecoder();

/**
 * A bytes field as bytes: protobufjs gives an absent one (an empty string attribute, which
 * proto3 writers leave out) its default, a plain empty array, which TextDecoder refuses.
 */
function bytesOf(field: Uint8Array | number[] | undefined): Uint8Array {
  return field instanceof Uint8Array ? field : Uint8Array.from(field ?? []);
}

function decodeAttribute(a: AttributeMsg, node: string, opType: string, ctx: TensorDecodeContext): Attribute {
  const where = `attribute '${a.name}' of node '${node}' (${opType})`;
  switch (a.type === ATTR_TYPE.UNDEFINED ? guessAttributeType(a) : a.type) {
    case ATTR_TYPE.FLOAT:
      return { kind: 'float', value: shortFloat32(a.f) };
    case ATTR_TYPE.INT:
      return { kind: 'int', value: toNumber(a.i) };
    case ATTR_TYPE.STRING:
      return { kind: 'string', value: utf8.decode(bytesOf(a.s)) };
    case ATTR_TYPE.TENSOR:
      if (!a.t) throw new OnnxError(`In '${ctx.source}', ${where} is a tensor attribute without a tensor.`);
      return { kind: 'tensor', value: decodeTensor(a.t, { ...ctx, weights: 'load' }, where) };
    case ATTR_TYPE.FLOATS:
      return { kind: 'floats', value: a.floats.map(shortFloat32) };
    case ATTR_TYPE.INTS:
      return { kind: 'ints', value: a.ints.map(toNumber) };
    case ATTR_TYPE.STRINGS:
      return { kind: 'strings', value: a.strings.map((s) => utf8.decode(bytesOf(s))) };
    case ATTR_TYPE.GRAPH:
      if (!a.g) throw new OnnxError(`In '${ctx.source}', ${where} is a graph attribute without a graph.`);
      return { kind: 'graph', value: decodeGraph(a.g, ctx, true) };
    default: {
      const kind = a.ref_attr_name ? 'a reference to a function attribute' : 'a list of graphs, a sparse tensor or a tensor list';
      throw new OnnxError(`In '${ctx.source}', ${where} holds ${kind}, which Joule does not support.`);
    }
  }
}

/** IR version 1 attributes carry no type: infer it from the field that is present. */
function guessAttributeType(a: AttributeMsg): number {
  const has = (f: keyof AttributeMsg) => Object.prototype.hasOwnProperty.call(a, f);
  if (a.floats.length) return ATTR_TYPE.FLOATS;
  if (a.ints.length) return ATTR_TYPE.INTS;
  if (a.strings.length) return ATTR_TYPE.STRINGS;
  if (has('t') && a.t) return ATTR_TYPE.TENSOR;
  if (has('g') && a.g) return ATTR_TYPE.GRAPH;
  if (has('s')) return ATTR_TYPE.STRING;
  if (has('i')) return ATTR_TYPE.INT;
  if (has('f')) return ATTR_TYPE.FLOAT;
  return ATTR_TYPE.UNDEFINED;
}

/**
 * The shortest decimal that is the same float32, so `alpha: 0.1` reads back as 0.1 rather than
 * 0.10000000149011612 and models round-trip exactly.
 */
function shortFloat32(x: number): number {
  if (!Number.isFinite(x)) return x;
  for (let p = 1; p < 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return x;
}
