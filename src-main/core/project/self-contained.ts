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
import { checkRegularFile, readRegularFile } from '../io/regular-file';
import { relativeModelPath, resolveModelPath } from './paths';

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readRegularFile(file, 'onnx')).digest('hex');
}

const inside = (dir: string, file: string) => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * The document as saved in `toDir`, and the files copied (relative to `toDir`). Files already
 * inside `toDir` stay where they are; a file whose name is taken in `models/` by different bytes
 * gets a numbered name; one that is missing keeps its (rebased) path for `project check` to report.
 */
export async function gatherModels(document: ProjectDocument, fromDir: string, toDir: string): Promise<{ document: ProjectDocument; copied: string[] }> {
  const placed = new Map<string, string>();
  const copied: string[] = [];
  const modelsDir = path.join(toDir, 'models');

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
        await fs.copyFile(source, target);
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
