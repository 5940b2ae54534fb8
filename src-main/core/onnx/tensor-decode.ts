/**
 * TensorProto -> IR Tensor: raw little-endian data, the typed `*_data` fields, and external data
 * files next to the model.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { DTYPE_ARRAY, DTYPE_BYTES, dtypeFromCode, isFloatDtype, onnxDtypeName, typedArrayFromLE } from './dtype';
import { formatLimit, MAX_ONNX_DIM, MAX_ONNX_TENSOR_ELEMENTS } from '../../common/limits';
import { OnnxError } from './errors';
import { MAX_FOLDED_FLOATS } from './shape-rule';
import { tensorSize } from './ir';
import type { DataType, Tensor, TensorData } from './ir';
import { toBigInt, toNumber } from './proto';
import type { TensorMsg } from './proto';

export interface TensorDecodeContext {
  /** The file (or description of the bytes) named in error messages. */
  source: string;
  /** Directory that external data locations are relative to. */
  baseDir: string | undefined;
  /** 'skip' leaves floating-point weights unloaded (`data: null`). */
  weights: 'load' | 'skip';
}

const EXTERNAL = 1;

/** Decodes one tensor; `what` says where it sits ("initializer 'w'", "attribute 'value' of node 'c'"). */
export function decodeTensor(msg: TensorMsg, ctx: TensorDecodeContext, what = `tensor '${msg.name}'`): Tensor {
  const dtype = dtypeFromCode(msg.data_type);
  if (dtype === null) {
    throw new OnnxError(
      `In '${ctx.source}', ${what} has data type ${onnxDtypeName(msg.data_type)}, which Joule does not support.`,
    );
  }
  if (msg.segment) {
    throw new OnnxError(`In '${ctx.source}', ${what} is stored in segments, which Joule does not support.`);
  }
  const dims = msg.dims.map(toNumber);
  checkTensorDims(dims, ctx.source, what);
  const tensor: Tensor = { name: msg.name, dtype, dims, data: null };
  const count = tensorSize(dims);
  // Integer tensors are shapes, axes and indices that shape inference needs, and tiny float ones
  // are scales and bounds: always load them.
  if (ctx.weights === 'skip' && isFloatDtype(dtype) && count > MAX_FOLDED_FLOATS) return tensor;

  const bytes = count * DTYPE_BYTES[dtype];
  if (msg.data_location === EXTERNAL || msg.external_data.length > 0) {
    tensor.data = readExternal(msg, dtype, count, ctx, what);
  } else if (bytes === 0) {
    // An empty tensor (a zero dimension): protobufjs leaves its absent raw_data as a plain array.
    tensor.data = new DTYPE_ARRAY[dtype](0);
  } else if (msg.raw_data.length > 0) {
    if (msg.raw_data.length !== bytes) {
      throw new OnnxError(
        `In '${ctx.source}', ${what} holds ${msg.raw_data.length} bytes of raw data, but shape [${dims.join(', ')}] of ${dtype} needs ${bytes}.`,
      );
    }
    tensor.data = typedArrayFromLE(dtype, msg.raw_data, count);
  } else {
    tensor.data = fromTypedFields(msg, dtype, count, ctx, what);
  }
  return tensor;
}

function fromTypedFields(msg: TensorMsg, dtype: DataType, count: number, ctx: TensorDecodeContext, what: string): TensorData {
  let values: ArrayLike<number> | bigint[];
  switch (dtype) {
    case 'float32':
      values = msg.float_data;
      break;
    case 'float64':
      values = msg.double_data;
      break;
    case 'int64':
      values = msg.int64_data.map(toBigInt);
      break;
    // ONNX stores these narrow types (and float16 bits) widened into int32_data.
    case 'int32':
    case 'int16':
    case 'int8':
    case 'uint8':
    case 'bool':
    case 'float16':
      values = msg.int32_data;
      break;
    default: {
      const never: never = dtype;
      throw new Error(`unhandled dtype ${String(never)}`);
    }
  }
  if (values.length !== count) {
    throw new OnnxError(
      `In '${ctx.source}', ${what} holds ${values.length} values, but its shape [${msg.dims.map(toNumber).join(', ')}] needs ${count}.`,
    );
  }
  const data = new DTYPE_ARRAY[dtype](count);
  if (data instanceof BigInt64Array) data.set(values as bigint[]);
  else data.set(values as ArrayLike<number>);
  return data;
}

function readExternal(msg: TensorMsg, dtype: DataType, count: number, ctx: TensorDecodeContext, what: string): TensorData {
  const info = new Map(msg.external_data.map((e) => [e.key, e.value]));
  const location = info.get('location');
  if (!location) {
    throw new OnnxError(`In '${ctx.source}', ${what} is marked external but names no location.`);
  }
  if (ctx.baseDir === undefined) {
    throw new OnnxError(
      `In '${ctx.source}', ${what} keeps its data in external file '${location}', but no base directory was given to find it.`,
    );
  }
  const file = resolve(ctx.baseDir, location);
  const rel = relative(resolve(ctx.baseDir), file);
  if (isAbsolute(location) || rel.startsWith('..') || isAbsolute(rel)) {
    throw new OnnxError(
      `In '${ctx.source}', ${what} points to external file '${location}' outside the model's folder, which Joule refuses to read.`,
    );
  }
  const expected = count * DTYPE_BYTES[dtype];
  const offset = Number(info.get('offset') ?? 0);
  const length = info.has('length') ? Number(info.get('length')) : expected;
  if (!Number.isSafeInteger(offset) || offset < 0 || length !== expected) {
    throw new OnnxError(
      `In '${ctx.source}', ${what} has external offset '${info.get('offset')}' and length '${info.get('length')}', but its shape needs ${expected} bytes.`,
    );
  }
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new OnnxError(`In '${ctx.source}', the external data file '${location}' of ${what} cannot be opened.`);
  }
  try {
    const size = fstatSync(fd).size;
    if (offset + length > size) {
      throw new OnnxError(
        `In '${ctx.source}', external data file '${location}' is too short for ${what}: it needs bytes ${offset} to ${offset + length} but has ${size}.`,
      );
    }
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buffer, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return typedArrayFromLE(dtype, buffer, count);
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses a stored tensor whose shape no file could hold before anything is allocated for it:
 * a dimension of 1e12 threw a raw RangeError (issue 14). Limits in docs/limits.md.
 */
export function checkTensorDims(dims: readonly number[], source: string, what: string): void {
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0 || d > MAX_ONNX_DIM) {
      throw new OnnxError(`In '${source}', ${what} has dimension ${d} in shape [${dims.join(', ')}]; dimensions must be whole numbers from 0 to ${formatLimit(MAX_ONNX_DIM)}.`);
    }
  }
  const count = tensorSize(dims);
  if (count > MAX_ONNX_TENSOR_ELEMENTS) {
    throw new OnnxError(`In '${source}', ${what} has shape [${dims.join(', ')}], ${count} elements; Joule reads tensors of at most ${formatLimit(MAX_ONNX_TENSOR_ELEMENTS)} elements.`);
  }
}
