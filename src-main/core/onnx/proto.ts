/**
 * protobufjs message types for the ONNX schema, parsed once on first use, and the shapes of
 * the messages they decode to. int64 fields decode as `Long` objects (protobufjs finds the
 * `long` package) or plain numbers; `toNumber` and `toBigInt` accept either.
 */
import protobuf from 'protobufjs';
import { ONNX_PROTO } from './onnx-schema';

export type Int64 = number | { low: number; high: number; unsigned: boolean };

export interface StringStringEntryMsg {
  key: string;
  value: string;
}
export interface TensorMsg {
  dims: Int64[];
  data_type: number;
  segment?: unknown;
  float_data: number[];
  int32_data: number[];
  string_data: Uint8Array[];
  int64_data: Int64[];
  name: string;
  raw_data: Uint8Array;
  external_data: StringStringEntryMsg[];
  data_location: number;
  double_data: number[];
  uint64_data: Int64[];
}
export interface AttributeMsg {
  name: string;
  ref_attr_name: string;
  type: number;
  f: number;
  i: Int64;
  s: Uint8Array;
  t?: TensorMsg | null;
  floats: number[];
  ints: Int64[];
  strings: Uint8Array[];
  g?: GraphMsg | null;
}
export interface DimensionMsg {
  value?: 'dim_value' | 'dim_param';
  dim_value: Int64;
  dim_param: string;
}
export interface ValueInfoMsg {
  name: string;
  type?: {
    value?: 'tensor_type';
    tensor_type?: { elem_type: number; shape?: { dim: DimensionMsg[] } | null } | null;
  } | null;
}
export interface NodeMsg {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  domain: string;
  attribute: AttributeMsg[];
}
export interface GraphMsg {
  node: NodeMsg[];
  name: string;
  initializer: TensorMsg[];
  sparse_initializer: { values?: TensorMsg | null }[];
  input: ValueInfoMsg[];
  output: ValueInfoMsg[];
  value_info: ValueInfoMsg[];
}
export interface ModelMsg {
  ir_version: Int64;
  opset_import: { domain: string; version: Int64 }[];
  producer_name: string;
  producer_version: string;
  graph?: GraphMsg | null;
  metadata_props: StringStringEntryMsg[];
}

/** `AttributeProto.AttributeType` values. */
export const ATTR_TYPE = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
} as const;

let modelType: protobuf.Type | undefined;

/** The `onnx.ModelProto` message type. */
export function modelProto(): protobuf.Type {
  if (!modelType) {
    // keepCase: field names stay as in onnx.proto, so encoder input reads like the spec.
    const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
    modelType = root.lookupType('onnx.ModelProto');
  }
  return modelType;
}

/** An int64 field as a JS number (exact up to 2^53, which covers dims, attributes, offsets). */
export function toNumber(v: Int64): number {
  if (typeof v === 'number') return v;
  return v.unsigned ? (v.high >>> 0) * 2 ** 32 + (v.low >>> 0) : v.high * 2 ** 32 + (v.low >>> 0);
}

/** An int64 field as an exact bigint, for int64 tensor data. */
export function toBigInt(v: Int64): bigint {
  if (typeof v === 'number') return BigInt(v);
  const big = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return v.unsigned ? big : BigInt.asIntN(64, big);
}
