/**
 * Requests and results that travel between machines. On the submitting machine a request's files
 * (the model and its card, a teacher, a device profile, an image folder) become content-addressed
 * references and its output file a bare name; on the worker the references become files in the
 * worker's cache (each checked against its sha256) and the output a file in the job's own folder.
 * The worker sends back the files the job wrote, by hash, and the submitter writes them where a
 * local run would have written them, so a project cannot tell where its variant was made.
 *
 * Nothing from a job can name a path on the worker: names are single path segments, folder entries
 * relative paths without `..`, and the submitter accepts back only the output file and its card.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { PruneRequest } from '../../common/api/pruning';
import type { DatasetChoice, TrainRequest } from '../../common/api/training';
import { InvalidRequestError, JouleError } from '../../common/errors';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { readRegularFile, type FileKind } from '../../core/io/regular-file';
import { scanUnlabeledFolder } from '../../core/train/data/image-folder';
import { BlobHashError, blobTtlS, INPUT_TTL_S, SHA256_PATTERN, type BlobStore } from './blob-store';
import type { QueueKind } from './names';

/** A file by content: its name on the submitting machine and where it came from (for messages). */
export interface FileRef {
  blob: string;
  name: string;
  origin: string;
}

/** A folder of files (an image dataset) by content. */
export interface FolderRef {
  folder: { path: string; blob: string }[];
  origin: string;
}

/** A model file and the card beside it, which holds its input normalisation. */
export interface ModelFileRef extends FileRef {
  card?: FileRef;
}

/** The files a job wrote, by hash, and its result with their paths as `joule-out:NAME`. */
export interface TravelledResult {
  result: unknown;
  files: { name: string; blob: string }[];
}

/** Where a worker keeps what jobs bring and write. */
export interface WorkerDirs {
  /** Inputs by hash, shared by every job of the worker. */
  cacheDir: string;
  /** This attempt's own folder: its output goes here and nowhere else. */
  jobDir: string;
}

const OUT_MARK = 'joule-out:';
/** An image folder that travels has at most this many files. */
export const MAX_FOLDER_FILES = 50_000;
const SAFE_NAME = /^[^/\\\0:*?"<>|]{1,255}$/;
const PLAIN_DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

// ---- submitting machine ----------------------------------------------------------------------

/** The request with its files replaced by references; `blobs` lists every hash it holds. */
export async function packInput(kind: QueueKind, input: unknown, store: BlobStore): Promise<{ packed: unknown; blobs: string[] }> {
  const blobs: string[] = [];
  const put = async (file: string, kind: FileKind, what: string): Promise<FileRef> => {
    const bytes = await readRegularFile(file, kind);
    const blob = await store.put(bytes, what, INPUT_TTL_S);
    blobs.push(blob);
    return { blob, name: path.basename(file), origin: file };
  };
  const model = async (file: string): Promise<ModelFileRef> => {
    const ref: ModelFileRef = await put(file, 'onnx', file);
    const card = file.replace(/\.onnx$/i, '.json');
    if (card !== file && existsSync(card)) ref.card = await put(card, 'card', card);
    return ref;
  };
  const dataset = async (choice: DatasetChoice | undefined): Promise<unknown> => {
    if (choice === undefined || typeof choice === 'string') return choice;
    const files = await listFolder(choice.folder);
    const folder: FolderRef['folder'] = [];
    for (const rel of files) folder.push({ path: rel, blob: (await put(path.join(choice.folder, rel), 'image', path.join(choice.folder, rel))).blob });
    return { folder, origin: choice.folder } satisfies FolderRef;
  };
  switch (kind) {
    case 'prune.run': {
      const r = input as PruneRequest;
      const { model: source, ...rest } = r;
      const packedModel = 'zoo' in source ? source : { ...withoutKeys(source, ['path', 'baseDir']), file: await model(path.resolve(source.baseDir, source.path)) };
      const packed = {
        ...rest,
        model: packedModel,
        dataset: await dataset(r.dataset),
        unlabeled: await dataset(r.unlabeled as DatasetChoice | undefined),
        deviceId: r.deviceId.endsWith('.json') ? await put(r.deviceId, 'profile', r.deviceId) : r.deviceId,
        out: path.basename(r.out),
      };
      return { packed: dropUndefined(packed), blobs };
    }
    case 'train.run': {
      const r = input as TrainRequest;
      const spec = async (s: string) => (s.startsWith('zoo:') ? s : await model(path.resolve(s)));
      const packed = {
        ...r,
        model: await spec(r.model),
        teacher: r.teacher === undefined ? undefined : await spec(r.teacher),
        dataset: await dataset(r.dataset),
        out: path.basename(r.out),
      };
      return { packed: dropUndefined(packed), blobs };
    }
    case 'placement.run':
    case 'placement.pareto':
      return { packed: input, blobs };
  }
}

/** The card the prune and train tasks write beside a model: `<out without .onnx>.json`. */
export const cardNameOf = (modelName: string): string => `${modelName.replace(/\.onnx$/i, '')}.json`;

/** The output files of a finished job that travel back, by hash (empty for placement jobs). */
export function outputBlobs(travelled: TravelledResult | null | undefined): string[] {
  return Array.isArray(travelled?.files) ? travelled.files.map((f) => f.blob) : [];
}

/**
 * Writes a job's files where the local request asked for them (each checked against its hash) and
 * returns its result with the local paths. A worker may send back only the model and its card,
 * must send the model, and its report's `out`, `card` and `sha256` are the submitter's own.
 */
export async function landOutput(kind: QueueKind, travelled: TravelledResult, localInput: unknown, store: BlobStore): Promise<unknown> {
  if (kind === 'placement.run' || kind === 'placement.pareto') return travelled.result;
  const out = path.resolve((localInput as { out: string }).out);
  const outDir = path.dirname(out);
  const model = path.basename(out);
  const card = cardNameOf(model);
  const files = Array.isArray(travelled?.files) ? travelled.files : [];
  for (const file of files) {
    if (file?.name !== model && file?.name !== card) throw new JouleError(`A queue worker sent back ${JSON.stringify(file?.name)}, which this job does not write (only ${model} and ${card}): Joule refused it.`);
  }
  const modelFile = files.find((f) => f.name === model);
  if (!modelFile) throw new JouleError(`A queue worker reported ${model} written but sent no such file back: Joule refused the result.`);
  for (const file of files) {
    const bytes = await store.get(file.blob, `${file.name}, written by a queue worker`);
    await writeFileAtomic(path.join(outDir, file.name), bytes, { backup: false });
  }
  const result = mapStrings(travelled.result, (s) => (s === OUT_MARK + model ? out : s === OUT_MARK + card ? path.join(outDir, card) : s)) as Record<string, unknown>;
  const { card: _reported, ...rest } = result;
  const fixed: Record<string, unknown> = { ...rest, out, ...(files.some((f) => f.name === card) ? { card: path.join(outDir, card) } : {}) };
  if ('sha256' in result) fixed.sha256 = modelFile.blob;
  return fixed;
}

// ---- worker ----------------------------------------------------------------------------------

/** The request as this worker runs it: references become checked files in its cache, the output a file in the job's folder. */
export async function unpackInput(kind: QueueKind, packed: unknown, store: BlobStore, dirs: WorkerDirs): Promise<{ input: unknown; origins: Map<string, string> }> {
  const origins = new Map<string, string>();
  const file = async (ref: unknown, field: string, dir?: string): Promise<string> => {
    const r = fileRef(ref, field);
    const folder = dir ?? path.join(dirs.cacheDir, 'blobs', r.blob);
    const target = path.join(folder, r.name);
    await materialize(store, r.blob, target, `${field} (${r.name})`);
    origins.set(target, r.origin);
    return target;
  };
  const model = async (ref: unknown, field: string): Promise<string> => {
    const r = fileRef(ref, field);
    const card = (ref as ModelFileRef).card === undefined ? null : fileRef((ref as ModelFileRef).card, `${field}.card`);
    // The card is read from beside the model, so a model and its card share a folder of their own.
    const folder = path.join(dirs.cacheDir, 'models', `${r.blob.slice(0, 32)}-${card ? card.blob.slice(0, 32) : 'no-card'}`);
    const target = await file(r, field, folder);
    if (card) await file({ ...card, name: r.name.replace(/\.onnx$/i, '.json') }, `${field}.card`, folder);
    return target;
  };
  const dataset = async (value: unknown, field: string): Promise<unknown> => {
    if (value === undefined) return undefined;
    if (value === 'fashion-mnist' || value === 'mnist') return value;
    const ref = value as FolderRef;
    if (!Array.isArray(ref?.folder) || ref.folder.length > MAX_FOLDER_FILES) throw new InvalidRequestError(`${field}: expected fashion-mnist, mnist or an image folder of at most ${MAX_FOLDER_FILES} files.`);
    const id = folderId(ref.folder);
    const root = path.join(dirs.cacheDir, 'folders', id);
    for (const entry of ref.folder) {
      const rel = safeRelative(entry?.path, `${field}.folder`);
      await materialize(store, blobOf(entry?.blob, `${field}.folder`), path.join(root, rel), `${field} (${rel})`);
    }
    origins.set(root, String(ref.origin));
    return { folder: root };
  };
  const out = (value: unknown) => path.join(dirs.jobDir, safeName(value, 'out'));
  switch (kind) {
    case 'prune.run': {
      const p = packed as Record<string, unknown> & { model: Record<string, unknown> };
      const source = p.model;
      const localModel = 'zoo' in source ? { zoo: String(source.zoo), ...pick(source, ['inputShapes', 'controlFlow']) } : await (async () => {
        const target = await model(source.file, 'model');
        return { path: path.basename(target), baseDir: path.dirname(target), ...pick(source, ['inputShapes', 'controlFlow']) };
      })();
      const deviceId = typeof p.deviceId === 'string' ? plainDeviceId(p.deviceId) : await file(p.deviceId, 'deviceId');
      const input = { ...p, model: localModel, deviceId, dataset: await dataset(p.dataset, 'dataset'), unlabeled: await dataset(p.unlabeled, 'unlabeled'), out: out(p.out) };
      return { input: dropUndefined(input), origins };
    }
    case 'train.run': {
      const p = packed as Record<string, unknown>;
      const spec = async (value: unknown, field: string) => (typeof value === 'string' && value.startsWith('zoo:') ? value : await model(value, field));
      const input = { ...p, model: await spec(p.model, 'model'), teacher: p.teacher === undefined ? undefined : await spec(p.teacher, 'teacher'), dataset: await dataset(p.dataset, 'dataset'), out: out(p.out) };
      return { input: dropUndefined(input), origins };
    }
    case 'placement.run':
    case 'placement.pareto':
      return { input: packed, origins };
  }
}

/** The files the job wrote in its folder, stored by hash, and its result with their paths as `joule-out:NAME` and cache paths as the submitter's. */
export async function packOutput(result: unknown, dirs: WorkerDirs, origins: Map<string, string>, store: BlobStore): Promise<TravelledResult> {
  const files: TravelledResult['files'] = [];
  const entries = existsSync(dirs.jobDir) ? await fs.readdir(dirs.jobDir, { withFileTypes: true }) : [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.includes('.joule-tmp-')) continue;
    let bytes: Uint8Array = await fs.readFile(path.join(dirs.jobDir, entry.name));
    // A card may name the worker's copy of an image folder or model: it names the planner's instead.
    if (entry.name.endsWith('.json')) bytes = Buffer.from(cardWithOrigins(Buffer.from(bytes).toString('utf8'), origins), 'utf8');
    files.push({ name: entry.name, blob: await store.put(bytes, entry.name, blobTtlS()) });
  }
  const prefix = dirs.jobDir + path.sep;
  return { result: mapStrings(result, (s) => (s.startsWith(prefix) ? OUT_MARK + s.slice(prefix.length) : withOrigins(s, origins))), files };
}

/** A card's JSON with the worker's cache paths replaced, written as the tasks write it. */
function cardWithOrigins(text: string, origins: Map<string, string>): string {
  try {
    return `${JSON.stringify(mapStrings(JSON.parse(text), (s) => withOrigins(s, origins)), null, 2)}\n`;
  } catch {
    return text;
  }
}

/** A message or value with the worker's cache paths replaced by the files they came from. */
export function withOrigins(text: string, origins: Map<string, string>): string {
  let out = text;
  for (const [local, origin] of origins) out = out.split(local).join(origin);
  return out;
}

// ---- helpers ---------------------------------------------------------------------------------

async function materialize(store: BlobStore, blob: string, target: string, what: string): Promise<void> {
  if (existsSync(target)) return;
  const bytes = await store.get(blob, what);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomic(target, bytes, { backup: false });
}

function fileRef(value: unknown, field: string): FileRef {
  const r = value as FileRef;
  if (typeof r !== 'object' || r === null) throw new InvalidRequestError(`${field}: expected a file reference.`);
  return { blob: blobOf(r.blob, field), name: safeName(r.name, field), origin: String(r.origin ?? r.name) };
}

function blobOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SHA256_PATTERN.test(value)) throw new BlobHashError(`${field}: ${JSON.stringify(value)} is not a sha256.`);
  return value;
}

/** One path segment: no separators, no `..`, nothing hidden. */
function safeName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SAFE_NAME.test(value) || value.startsWith('.') || path.basename(value) !== value) {
    throw new InvalidRequestError(`${field}: ${JSON.stringify(value)} is not a plain file name; a job from the queue may only name files inside the worker's cache.`);
  }
  return value;
}

/** A relative path of plain segments (class/image.png). */
function safeRelative(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > 1024) throw new InvalidRequestError(`${field}: expected a relative path.`);
  const parts = value.split('/');
  for (const part of parts) safeName(part, field);
  return parts.join(path.sep);
}

function plainDeviceId(id: string): string {
  if (!PLAIN_DEVICE_ID.test(id) || id.endsWith('.json')) throw new InvalidRequestError(`deviceId: ${JSON.stringify(id)} is neither a library id nor a profile sent with the job.`);
  return id;
}

/** A folder's id: the hash of its listing, so two sweeps on the same images share one copy. */
function folderId(entries: FolderRef['folder']): string {
  const listing = entries.map((e) => `${e?.path}\0${e?.blob}`).join('\n');
  return createHash('sha256').update(listing).digest('hex');
}

/** The images under `root` as `/`-separated relative paths, found as the unlabeled reader finds them (sorted, hidden and system files left out). */
async function listFolder(root: string): Promise<string[]> {
  const { files } = await scanUnlabeledFolder(root);
  if (files.length > MAX_FOLDER_FILES) throw new JouleError(`The image folder ${root} has ${files.length} images, more than the ${MAX_FOLDER_FILES} a queued job may carry; run it on this computer.`);
  return files.map((file) => path.relative(path.resolve(root), file).split(path.sep).join('/'));
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function withoutKeys(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

function pick(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]]));
}
