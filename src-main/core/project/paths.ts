/** Model paths inside a project are relative to the project file, with forward slashes. */
import path from 'node:path';
import type { ProjectDocument } from '../../common/project/schema';

/** The file a model path names: relative ones (forward slashes) from `baseDir`, absolute ones as they are. */
export function resolveModelPath(baseDir: string, modelPath: string): string {
  if (path.isAbsolute(modelPath)) return path.normalize(modelPath);
  return path.resolve(baseDir, ...modelPath.split('/'));
}

/** The portable form of `absolute` relative to `baseDir`. */
export function relativeModelPath(baseDir: string, absolute: string): string {
  return path.relative(baseDir, absolute).split(path.sep).join('/');
}

/**
 * Rewrites every model path so the same files are found from `toDir`; used by Save As into
 * another folder. Paths that are absolute stay absolute.
 *
 * @example rebaseModelPaths(doc, '/a', '/a/b') // 'models/x.onnx' -> '../models/x.onnx'
 */
export function rebaseModelPaths(document: ProjectDocument, fromDir: string, toDir: string): ProjectDocument {
  if (path.resolve(fromDir) === path.resolve(toDir)) return document;
  return {
    ...document,
    models: document.models.map((m) =>
      path.isAbsolute(m.path) ? m : { ...m, path: relativeModelPath(toDir, resolveModelPath(fromDir, m.path)) },
    ),
  };
}
