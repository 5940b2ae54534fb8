/**
 * Checkpoints that resume training exactly: parameters, optimizer buffers, the step and the
 * options that determine the data order, in one binary file written atomically.
 *
 * Layout: `JOULECKP` (8 bytes), header length (uint32 LE), UTF-8 JSON header, then the float32
 * arrays back to back (little-endian), in header order.
 */
import { writeFileAtomic } from '../io/atomic-write';
import { readRegularFile, UnreadableFileError } from '../io/regular-file';
import type { OptimizerState } from './optim/optimizer';
import type { ParameterSet } from './parameters';

const MAGIC = 'JOULECKP';

export interface Checkpoint<M = unknown> {
  step: number;
  params: ParameterSet;
  optimizer: OptimizerState;
  /** Whatever the trainer needs to continue identically: options, seed, epoch, history. */
  meta: M;
}

interface Header<M> {
  step: number;
  optimizerStep: number;
  meta: M;
  arrays: { kind: 'param' | 'buffer'; name: string; dims?: number[]; length: number }[];
}

export function encodeCheckpoint<M>(checkpoint: Checkpoint<M>): Uint8Array {
  const arrays: { header: Header<M>['arrays'][number]; data: Float32Array }[] = [];
  for (const p of checkpoint.params.values()) arrays.push({ header: { kind: 'param', name: p.name, dims: p.dims, length: p.data.length }, data: p.data });
  for (const [name, data] of checkpoint.optimizer.buffers) arrays.push({ header: { kind: 'buffer', name, length: data.length }, data });
  const header: Header<M> = { step: checkpoint.step, optimizerStep: checkpoint.optimizer.step, meta: checkpoint.meta, arrays: arrays.map((a) => a.header) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header so the float data starts 4-byte aligned and can be viewed without copying.
  const headerBytes = Math.ceil((12 + json.length) / 4) * 4 - 12;
  const dataBytes = arrays.reduce((sum, a) => sum + a.data.byteLength, 0);
  const out = new Uint8Array(12 + headerBytes + dataBytes);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, headerBytes, true);
  out.set(json, 12);
  out.fill(0x20, 12 + json.length, 12 + headerBytes);
  let offset = 12 + headerBytes;
  for (const a of arrays) {
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), offset);
    offset += a.data.byteLength;
  }
  return out;
}

export function decodeCheckpoint<M>(bytes: Uint8Array, source = 'checkpoint'): Checkpoint<M> {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error(`${source} is not a Joule checkpoint.`);
  }
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerBytes))) as Header<M>;
  const params: ParameterSet = new Map();
  const buffers = new Map<string, Float32Array>();
  let offset = 12 + headerBytes;
  for (const a of header.arrays) {
    const end = offset + a.length * 4;
    if (end > bytes.length) throw new Error(`${source} is truncated (array '${a.name}').`);
    // Copy out of `bytes` (a Node Buffer may be a view into a shared pool).
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + end));
    if (a.kind === 'param') params.set(a.name, { name: a.name, dims: a.dims ?? [a.length], data });
    else buffers.set(a.name, data);
    offset = end;
  }
  return { step: header.step, params, optimizer: { step: header.optimizerStep, buffers }, meta: header.meta };
}

export async function saveCheckpoint<M>(file: string, checkpoint: Checkpoint<M>): Promise<void> {
  await writeFileAtomic(file, encodeCheckpoint(checkpoint), { backup: false });
}

export async function loadCheckpoint<M>(file: string): Promise<Checkpoint<M>> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(file, 'checkpoint');
  } catch (error) {
    throw new Error(`Cannot read checkpoint ${file}: ${error instanceof UnreadableFileError ? error.why : (error as Error).message}.`, { cause: error });
  }
  return decodeCheckpoint<M>(bytes, file);
}
