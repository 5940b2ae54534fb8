/**
 * IR -> ONNX protobuf. Tensor data is always written as little-endian raw_data (compact and
 * fast for onnxruntime to load); big tensors can go to a `<file>.data` side file.
 */
import { writeFileAtomicSync } from '../io/atomic-write';
import { basename } from 'node:path';
import { dataMatchesDtype, ONNX_DTYPE_CODE, typedArrayToLE } from './dtype';
import { OnnxError } from './errors';
import type { Attribute, Graph, Model, Node, Tensor, TensorData, ValueInfo } from './ir';
import { ATTR_TYPE, modelProto } from './proto';
import { generateMissingWeights, generateTensorData } from './random-init';

export interface EncodeOptions {
  /** Seed for the weights generated for shape-only tensors. */
  seed?: number;
}

export interface WriteOptions extends EncodeOptions {
  /**
   * Tensors of at least this many bytes go to `<file>.data` as external data (needed past
   * protobuf's 2 GB limit, and handy for diffing models). Default: everything inline.
   */
  externalDataThresholdBytes?: number;
}

/** Offsets in the data file are page-aligned so runtimes can mmap weights (ONNX IR spec). */
const EXTERNAL_ALIGN = 4096;

/**
 * Encodes a model as ONNX protobuf bytes, with all tensor data inline.
 *
 * @example const session = await ort.InferenceSession.create(encodeOnnx(model))
 */
export function encodeOnnx(model: Model, options: EncodeOptions = {}): Uint8Array {
  return toBytes(model, options, null);
}

/**
 * Writes a model to `path`, optionally moving big tensors into `<path>.data` (stored as a
 * location relative to the model, so the pair can be moved together).
 */
export function writeOnnxFile(path: string, model: Model, options: WriteOptions = {}): void {
  const threshold = options.externalDataThresholdBytes;
  const sink: ExternalSink | null =
    threshold === undefined ? null : { location: `${basename(path)}.data`, threshold, chunks: [], size: 0 };
  const bytes = toBytes(model, options, sink);
  if (sink && sink.chunks.length > 0) writeFileAtomicSync(`${path}.data`, sink.chunks);
  writeFileAtomicSync(path, [bytes]);
}

interface ExternalSink {
  location: string;
  threshold: number;
  chunks: Uint8Array[];
  size: number;
}

function toBytes(model: Model, options: EncodeOptions, sink: ExternalSink | null): Uint8Array {
  const generated = generateMissingWeights(model, options.seed ?? 0);
  const g = model.graph;
  const initializers = [...g.initializers.values()].map((t) => tensorMsg(t, generated.get(t.name), sink));
  const inputs = g.inputs.map(valueInfoMsg);
  // IR < 4 requires every initializer to be declared as a graph input too.
  if (model.irVersion < 4) {
    for (const t of g.initializers.values()) inputs.push(valueInfoMsg({ name: t.name, dtype: t.dtype, shape: t.dims }));
  }
  const declared = new Set([...g.inputs.map((v) => v.name), ...g.initializers.keys()]);
  const msg = {
    ir_version: model.irVersion,
    opset_import: model.opsetImports.map((o) => ({ domain: o.domain, version: o.version })),
    producer_name: model.producerName,
    producer_version: model.producerVersion,
    graph: {
      node: g.nodes.map((n) => nodeMsg(n, options.seed ?? 0)),
      name: g.name,
      initializer: initializers,
      input: inputs,
      output: g.outputs.map(valueInfoMsg),
      value_info: [...g.valueInfo.values()].filter((v) => !declared.has(v.name)).map(valueInfoMsg),
    },
    metadata_props: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
  };
  return modelProto().encode(msg).finish();
}

function nodeMsg(n: Node, seed: number): object {
  return {
    input: n.inputs,
    output: n.outputs,
    name: n.name,
    op_type: n.opType,
    domain: n.domain,
    attribute: Object.entries(n.attributes).map(([name, a]) => attributeMsg(name, a, n.name, seed)),
  };
}

/** A control-flow body: its tensors are written inline (generated deterministically where the IR holds none). */
function subgraphMsg(g: Graph, seed: number): object {
  return {
    node: g.nodes.map((n) => nodeMsg(n, seed)),
    name: g.name,
    initializer: [...g.initializers.values()].map((t) => tensorMsg(t, t.data ?? generateTensorData(t, undefined, seed), null)),
    input: g.inputs.map(valueInfoMsg),
    output: g.outputs.map(valueInfoMsg),
    value_info: [...g.valueInfo.values()].map(valueInfoMsg),
  };
}

function tensorMsg(t: Tensor, generated: TensorData | undefined, sink: ExternalSink | null): object {
  const data = t.data ?? generated;
  if (!data) throw new OnnxError(`Tensor '${t.name}' has no data to write.`);
  if (!dataMatchesDtype(t.dtype, data)) {
    throw new OnnxError(`Tensor '${t.name}' is declared ${t.dtype} but holds a ${data.constructor.name}.`);
  }
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    throw new OnnxError(
      `Tensor '${t.name}' holds ${data.length} values, but its shape [${t.dims.join(', ')}] needs ${expected}.`,
    );
  }
  const raw = typedArrayToLE(data);
  const base = { name: t.name, dims: t.dims, data_type: ONNX_DTYPE_CODE[t.dtype] };
  if (!sink || raw.byteLength < sink.threshold || raw.byteLength === 0) return { ...base, raw_data: raw };
  const offset = Math.ceil(sink.size / EXTERNAL_ALIGN) * EXTERNAL_ALIGN;
  if (offset > sink.size) sink.chunks.push(new Uint8Array(offset - sink.size));
  sink.chunks.push(raw);
  sink.size = offset + raw.byteLength;
  return {
    ...base,
    data_location: 1,
    external_data: [
      { key: 'location', value: sink.location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.byteLength) },
    ],
  };
}

function valueInfoMsg(v: ValueInfo): object {
  if (v.untyped) return { name: v.name };
  const tensor_type: Record<string, unknown> = { elem_type: ONNX_DTYPE_CODE[v.dtype] };
  if (v.shape) {
    // '' is an unknown dimension without a name: neither field is set.
    tensor_type.shape = {
      dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : d === '' ? {} : { dim_param: d })),
    };
  }
  return { name: v.name, type: { tensor_type } };
}

const utf8 = new TextEncoder();

function attributeMsg(name: string, a: Attribute, node: string, seed: number): object {
  switch (a.kind) {
    case 'float':
      return { name, type: ATTR_TYPE.FLOAT, f: a.value };
    case 'int':
      return { name, type: ATTR_TYPE.INT, i: a.value };
    case 'string':
      return { name, type: ATTR_TYPE.STRING, s: utf8.encode(a.value) };
    case 'floats':
      return { name, type: ATTR_TYPE.FLOATS, floats: a.value };
    case 'ints':
      return { name, type: ATTR_TYPE.INTS, ints: a.value };
    case 'strings':
      return { name, type: ATTR_TYPE.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
    case 'tensor': {
      const t = a.value;
      const data = t.data ?? generateTensorData({ ...t, name: t.name || `${node}.${name}` }, undefined, seed);
      return { name, type: ATTR_TYPE.TENSOR, t: tensorMsg(t, data, null) };
    }
    case 'graph':
      return { name, type: ATTR_TYPE.GRAPH, g: subgraphMsg(a.value, seed) };
    default: {
      const never: never = a;
      throw new Error(`unhandled attribute ${JSON.stringify(never)}`);
    }
  }
}

