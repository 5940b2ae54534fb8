/**
 * Element types: the mapping between the IR's `DataType` names, ONNX's `TensorProto.DataType`
 * numbers, and the typed arrays that hold each type's data.
 */
import type { DataType, TensorData } from './ir';

/** ONNX `TensorProto.DataType` enum values of the types Joule handles. */
export const ONNX_DTYPE_CODE: Record<DataType, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int16: 5,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
};

const CODE_TO_DTYPE = new Map<number, DataType>(
  Object.entries(ONNX_DTYPE_CODE).map(([k, v]) => [v, k as DataType]),
);

/** ONNX names of every enum value, so errors can say what an unsupported type is. */
const ONNX_DTYPE_NAMES: Record<number, string> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32',
  7: 'INT64', 8: 'STRING', 9: 'BOOL', 10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64',
  14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16', 17: 'FLOAT8E4M3FN', 18: 'FLOAT8E4M3FNUZ',
  19: 'FLOAT8E5M2', 20: 'FLOAT8E5M2FNUZ', 21: 'UINT4', 22: 'INT4', 23: 'FLOAT4E2M1',
};

/** The IR type for an ONNX enum value, or null when Joule does not handle it. */
export function dtypeFromCode(code: number): DataType | null {
  return CODE_TO_DTYPE.get(code) ?? null;
}

/** `'FLOAT8E4M3FN'` for 17, `'type 99'` for an unknown number: for error messages. */
export function onnxDtypeName(code: number): string {
  return ONNX_DTYPE_NAMES[code] ?? `type ${code}`;
}

/** Bytes per element. Bool is one byte, as in ONNX raw data. */
export const DTYPE_BYTES: Record<DataType, number> = {
  float32: 4,
  float16: 2,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  bool: 1,
};

type TypedArrayCtor = {
  new (length: number): TensorData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
};

/** Typed array class for each type: float16 is kept as its raw bits, bool as 0/1 bytes. */
export const DTYPE_ARRAY: Record<DataType, TypedArrayCtor> = {
  float32: Float32Array,
  float16: Uint16Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  bool: Uint8Array,
};

export function isFloatDtype(dtype: DataType): boolean {
  return dtype === 'float32' || dtype === 'float16' || dtype === 'float64';
}

/** Whether `data` is the typed array class the IR uses for `dtype`. */
export function dataMatchesDtype(dtype: DataType, data: TensorData): boolean {
  return data instanceof DTYPE_ARRAY[dtype];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Copies little-endian bytes into a fresh, aligned typed array of `dtype`. Raw ONNX data may
 * start at any offset inside the file buffer, so a view would often be misaligned.
 */
export function typedArrayFromLE(dtype: DataType, bytes: Uint8Array, count: number): TensorData {
  const size = DTYPE_BYTES[dtype];
  const copy = new Uint8Array(count * size);
  copy.set(bytes.subarray(0, count * size));
  if (!LITTLE_ENDIAN) swapBytes(copy, size);
  return new DTYPE_ARRAY[dtype](copy.buffer, 0, count);
}

/** The little-endian bytes of a typed array (a view when the host is little-endian). */
export function typedArrayToLE(data: TensorData): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN) return view;
  const copy = view.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

/** IEEE 754 half-precision bits of a number (round to nearest even), for generated weights. */
export function float16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}
