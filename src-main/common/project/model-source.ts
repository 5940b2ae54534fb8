/** A project's model as a request names it: its file relative to the project, with the input shapes the planner gave. */
import type { ModelSource } from '../api/models';
import type { ModelRef } from './schema';

export function modelSourceOf(ref: Pick<ModelRef, 'path' | 'inputShapes'>, baseDir: string): ModelSource {
  return { path: ref.path, baseDir, ...(ref.inputShapes ? { inputShapes: ref.inputShapes } : {}) };
}
