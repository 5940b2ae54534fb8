/** Job `project.check`: verifies the model files a project references: present, of the recorded size and sha256. */
import { promises as fs } from 'node:fs';
import type { ModelFileReport, ProjectCheckReport } from '../../common/api/project';
import type { ModelRef } from '../../common/project/schema';
import { hashFile } from '../../core/io/hash';
import type { Progress } from '../../core/progress';
import { resolveModelPath } from '../../core/project/paths';

/**
 * Hashes every referenced file, reporting progress by bytes read and checking for cancellation
 * between 1 MB chunks, so a project with multi-gigabyte models stays responsive.
 */
export async function checkModelFiles(models: readonly ModelRef[], baseDir: string, progress: Progress): Promise<ProjectCheckReport> {
  const totalBytes = models.reduce((sum, m) => sum + m.sizeBytes, 0) || 1;
  let doneBytes = 0;
  const files: ModelFileReport[] = [];
  for (const model of models) {
    progress.checkpoint();
    progress.report(doneBytes / totalBytes, `Checking ${model.label}`);
    files.push(
      await checkOne(model, baseDir, progress, (bytes) => {
        doneBytes += bytes;
        progress.report(Math.min(1, doneBytes / totalBytes), `Checking ${model.label}`);
      }),
    );
  }
  progress.report(1, `Checked ${files.length} model file${files.length === 1 ? '' : 's'}`);
  return { ok: files.every((f) => f.status === 'ok'), files };
}

async function checkOne(model: ModelRef, baseDir: string, progress: Progress, onBytes: (n: number) => void): Promise<ModelFileReport> {
  const absolutePath = resolveModelPath(baseDir, model.path);
  const base = {
    modelId: model.id,
    label: model.label,
    path: model.path,
    absolutePath,
    expectedSizeBytes: model.sizeBytes,
    expectedSha256: model.sha256,
  };
  let size: number;
  try {
    const stat = await fs.stat(absolutePath);
    if (!stat.isFile()) throw Object.assign(new Error('it is not a file'), { code: 'EISDIR' });
    size = stat.size;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      ...base,
      status: missing ? 'missing' : 'unreadable',
      actualSizeBytes: null,
      actualSha256: null,
      message: missing ? `${model.path} does not exist (looked in ${absolutePath}).` : `${model.path} cannot be read: ${(error as Error).message}.`,
    };
  }
  let sha256: string;
  try {
    sha256 = await hashFile(absolutePath, progress, onBytes);
  } catch (error) {
    if ((error as Error).name === 'JobCancelledError') throw error;
    return { ...base, status: 'unreadable', actualSizeBytes: size, actualSha256: null, message: `${model.path} cannot be read: ${(error as Error).message}.` };
  }
  const report = { ...base, actualSizeBytes: size, actualSha256: sha256 };
  if (size !== model.sizeBytes) {
    return { ...report, status: 'size-mismatch', message: `${model.path} has ${size} bytes; the project expects ${model.sizeBytes}.` };
  }
  if (sha256 !== model.sha256) {
    return { ...report, status: 'sha256-mismatch', message: `${model.path} has changed since it was added: its sha256 is ${sha256.slice(0, 12)}..., the project expects ${model.sha256.slice(0, 12)}....` };
  }
  return { ...report, status: 'ok', message: `${model.path} is intact.` };
}
