/**
 * Joule's in-memory ONNX graph: plain data that the energy model reads, the training engine
 * extends with backward ops and the pruner edits channel by channel. `read.ts` and `write.ts`
 * convert it from and to ONNX protobuf; `shapes.ts` fills in every tensor's shape.
 */
import { OnnxError } from './errors';

export type DataType = 'float32' | 'float16' | 'float64' | 'int8' | 'uint8' | 'int16' | 'int32' | 'int64' | 'bool';
/** A dimension: a size, or the name of a symbolic (dynamic) dimension such as `'batch'`. */
export type Dim = number | string;
/** A tensor's type; `shape` is null when even the rank is unknown. */
export interface ValueInfo {
  name: string;
  dtype: DataType;
  shape: Dim[] | null;
  /** A subgraph input or output declared without a type (legal there: it follows from the nodes); `dtype` is then a placeholder. */
  untyped?: boolean;
}
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint16Array /* float16 bits */;
export interface Tensor {
  name: string;
  dtype: DataType;
  dims: number[];
  /** null = shape-only, for analysis of big zoo models without allocating weights. */
  data: TensorData | null;
}
export type Attribute =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: number[] }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensor'; value: Tensor }
  /** A subgraph of a control-flow node (If's branches, Loop's and Scan's body); it may read tensors of the graphs around it. */
  | { kind: 'graph'; value: Graph };
export type AttributeKind = Attribute['kind'];
export interface Node {
  name: string;
  opType: string;
  domain: string;
  /** '' = omitted optional input. */
  inputs: string[];
  outputs: string[];
  attributes: Record<string, Attribute>;
}
export interface Graph {
  name: string;
  /** Real inputs only: initializers are never listed here. */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Map<string, Tensor>;
  /** Topologically sorted once read. */
  nodes: Node[];
  valueInfo: Map<string, ValueInfo>;
}
export interface Model {
  irVersion: number;
  opsetImports: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  graph: Graph;
  metadata: Record<string, string>;
}

/**
 * The opset version the model imports for `domain` ('' and 'ai.onnx' are the same domain).
 * Throws when the model does not import it.
 *
 * @example opsetOf(model) // 17
 */
export function opsetOf(model: Model, domain = ''): number {
  const norm = (d: string) => (d === 'ai.onnx' ? '' : d);
  const entry = model.opsetImports.find((o) => norm(o.domain) === norm(domain));
  if (!entry) {
    const what = domain ? `domain '${domain}'` : 'the default ONNX domain';
    throw new OnnxError(`The model imports no opset for ${what}.`);
  }
  return entry.version;
}

/** Number of elements of a concrete shape; 1 for a scalar. */
export function tensorSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

interface AttributeValues {
  float: number;
  int: number;
  string: string;
  floats: number[];
  ints: number[];
  strings: string[];
  tensor: Tensor;
  graph: Graph;
}
type ValueOf<K extends AttributeKind> = AttributeValues[K];

function attr<K extends AttributeKind>(node: Node, name: string, kind: K): ValueOf<K> | undefined {
  const a = node.attributes[name];
  if (a === undefined) return undefined;
  if (a.kind !== kind) {
    throw new OnnxError(
      `Attribute '${name}' of node '${node.name}' (${node.opType}) is of kind '${a.kind}', expected '${kind}'.`,
    );
  }
  return a.value as unknown as ValueOf<K>;
}

function required<T>(node: Node, name: string, value: T | undefined): T {
  if (value === undefined) {
    throw new OnnxError(`Node '${node.name}' (${node.opType}) has no attribute '${name}'.`);
  }
  return value;
}

/**
 * Typed attribute getters: the default when the attribute is absent, an `OnnxError` naming the
 * node when it has another kind, or when it is absent and no default was given.
 *
 * @example attrInt(node, 'group', 1); attrInts(node, 'pads', [0, 0, 0, 0])
 */
export function attrInt(node: Node, name: string, defaultValue?: number): number {
  return required(node, name, attr(node, name, 'int') ?? defaultValue);
}
export function attrInts(node: Node, name: string, defaultValue?: number[]): number[] {
  return required(node, name, attr(node, name, 'ints') ?? defaultValue);
}
export function attrFloat(node: Node, name: string, defaultValue?: number): number {
  return required(node, name, attr(node, name, 'float') ?? defaultValue);
}
export function attrFloats(node: Node, name: string, defaultValue?: number[]): number[] {
  return required(node, name, attr(node, name, 'floats') ?? defaultValue);
}
export function attrString(node: Node, name: string, defaultValue?: string): string {
  return required(node, name, attr(node, name, 'string') ?? defaultValue);
}
export function attrStrings(node: Node, name: string, defaultValue?: string[]): string[] {
  return required(node, name, attr(node, name, 'strings') ?? defaultValue);
}
export function attrTensor(node: Node, name: string): Tensor {
  return required(node, name, attr(node, name, 'tensor'));
}

export function attrGraph(node: Node, name: string): Graph {
  return required(node, name, attr(node, name, 'graph'));
}

/** An empty model with one default-domain opset import, for builders to fill. */
export function emptyModel(opset: number, irVersion = 8): Model {
  return {
    irVersion,
    opsetImports: [{ domain: '', version: opset }],
    producerName: 'joule',
    producerVersion: '',
    graph: {
      name: 'main',
      inputs: [],
      outputs: [],
      initializers: new Map(),
      nodes: [],
      valueInfo: new Map(),
    },
    metadata: {},
  };
}
