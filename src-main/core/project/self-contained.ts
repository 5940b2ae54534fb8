/**
 * Saving a project into another folder so that the folder holds everything it needs: model files
 * (and compression options' files) that live outside the new folder are copied into its
 * `models/` folder with their cards, and every path becomes relative to it. A project saved from
 * the sample never points into the application's install folder, and a moved folder keeps its models.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProjectDocument } from '../../common/project/schema';
import { tempPathFor } from '../io/atomic-write';
import { checkRegularFile, readRegularFile } from '../io/regular-file';
import { relativeModelPath, resolveModelPath } from './paths';

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readRegularFile(file, 'onnx')).digest('hex');
}

const inside = (dir: string, file: string) => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/** How far Save As is in copying model files: bytes over all the files it will copy. */
export interface CopyProgress {
  file: string;
  copiedBytes: number;
  totalBytes: number;
}

/** The bytes of the distinct model files outside `toDir` (an upper bound: files already in its models/ are not copied again). */
async function bytesToCopy(document: ProjectDocument, fromDir: string, toDir: string): Promise<number> {
  const sources = new Set([...document.models.map((m) => m.path), ...document.compression.runs.flatMap((r) => r.options.map((o) => o.path))].map((p) => resolveModelPath(fromDir, p)));
  let total = 0;
  for (const source of sources) if (!inside(toDir, source)) total += (await fs.stat(source).catch(() => null))?.size ?? 0;
  return total;
}

/**
 * Copies in 8 MB chunks, reporting each, so a window can show a large model's copy advance; into a
 * temp file renamed into place, so an interrupted copy never leaves a truncated model under the name.
 */
async function copyWithProgress(source: string, target: string, onChunk: (bytes: number) => void): Promise<void> {
  const temp = tempPathFor(target);
  const input = await fs.open(source, 'r');
  try {
    const output = await fs.open(temp, 'wx');
    try {
      const buffer = Buffer.allocUnsafe(8 << 20);
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        await output.write(buffer, 0, bytesRead);
        onChunk(bytesRead);
      }
      await output.sync();
    } finally {
      await output.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  } finally {
    await input.close();
  }
}


/**
 * The document as saved in `toDir`, and the files copied (relative to `toDir`). Files already
 * inside `toDir` stay where they are; a file whose name is taken in `models/` by different bytes
 * gets a numbered name; one that is missing keeps its (rebased) path for `project check` to report.
 */
export async function gatherModels(document: ProjectDocument, fromDir: string, toDir: string, onProgress?: (progress: CopyProgress) => void): Promise<{ document: ProjectDocument; copied: string[] }> {
  const placed = new Map<string, string>();
  const copied: string[] = [];
  const modelsDir = path.join(toDir, 'models');
  const progress: CopyProgress = { file: '', copiedBytes: 0, totalBytes: await bytesToCopy(document, fromDir, toDir) };

  async function place(modelPath: string): Promise<string> {
    const source = resolveModelPath(fromDir, modelPath);
    const known = placed.get(source);
    if (known) return known;
    let result: string;
    if (inside(toDir, source) || !existsSync(source)) result = relativeModelPath(toDir, source);
    else {
      // Copying a named pipe or a device would block or never end.
      await checkRegularFile(source, 'onnx');
      await fs.mkdir(modelsDir, { recursive: true });
      const ext = path.extname(source);
      const stem = path.basename(source, ext);
      let target = path.join(modelsDir, `${stem}${ext}`);
      for (let n = 2; existsSync(target) && (await sha256(target)) !== (await sha256(source)); n++) target = path.join(modelsDir, `${stem}-${n}${ext}`);
      if (!existsSync(target)) {
        progress.file = path.basename(source);
        await copyWithProgress(source, target, (bytes) => {
          progress.copiedBytes += bytes;
          onProgress?.({ ...progress });
        });
        const card = path.join(path.dirname(source), `${stem}.json`);
        if (existsSync(card)) await fs.copyFile(card, target.replace(/\.onnx$/i, '') + '.json');
        copied.push(relativeModelPath(toDir, target));
      }
      result = relativeModelPath(toDir, target);
    }
    placed.set(source, result);
    return result;
  }

  const models = [];
  for (const m of document.models) models.push({ ...m, path: await place(m.path) });
  const runs = [];
  for (const run of document.compression.runs) {
    const options = [];
    for (const o of run.options) options.push({ ...o, path: await place(o.path) });
    runs.push({ ...run, options });
  }
  return { document: { ...document, models, compression: { ...document.compression, runs } }, copied };
}
