import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelRef } from '../../../src-main/common/project/schema';
import { JobCancelledError } from '../../../src-main/common/errors';
import { checkModelFiles } from '../../../src-main/jobs/tasks/project-check';
import { silentProgress } from '../../../src-main/core/progress';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function fixture() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-check-'));
  mkdirSync(path.join(dir, 'models'));
  const good = Buffer.from('good model bytes');
  const changed = Buffer.from('changed bytes!!!');
  writeFileSync(path.join(dir, 'models', 'good.onnx'), good);
  writeFileSync(path.join(dir, 'models', 'changed.onnx'), changed);
  writeFileSync(path.join(dir, 'models', 'short.onnx'), Buffer.from('abc'));
  const models: ModelRef[] = [
    { id: 'g', label: 'Good', path: 'models/good.onnx', sha256: sha(good), sizeBytes: good.length },
    { id: 'c', label: 'Changed', path: 'models/changed.onnx', sha256: sha(good), sizeBytes: changed.length },
    { id: 's', label: 'Short', path: 'models/short.onnx', sha256: sha(good), sizeBytes: good.length },
    { id: 'm', label: 'Missing', path: 'models/gone.onnx', sha256: sha(good), sizeBytes: 5 },
    { id: 'd', label: 'Folder', path: 'models', sha256: sha(good), sizeBytes: 5 },
  ];
  return { dir, models };
}

describe('checkModelFiles', () => {
  it('reports each file: intact, changed, wrong size, missing, unreadable', async () => {
    const { dir, models } = fixture();
    const report = await checkModelFiles(models, dir, silentProgress);
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => [f.modelId, f.status])).toEqual([
      ['g', 'ok'],
      ['c', 'sha256-mismatch'],
      ['s', 'size-mismatch'],
      ['m', 'missing'],
      ['d', 'unreadable'],
    ]);
    expect(report.files[1].message).toMatch(/^models\/changed\.onnx has changed since it was added: its sha256 is [0-9a-f]{12}\.\.\., the project expects/);
    expect(report.files[2].message).toBe('models/short.onnx has 3 bytes; the project expects 16.');
    expect(report.files[3].message).toBe(`models/gone.onnx does not exist (looked in ${path.join(dir, 'models', 'gone.onnx')}).`);
  });

  it('is ok when every file is intact', async () => {
    const { dir, models } = fixture();
    const report = await checkModelFiles(models.slice(0, 1), dir, silentProgress);
    expect(report).toMatchObject({ ok: true, files: [{ status: 'ok', actualSizeBytes: 16 }] });
  });

  it('stops at a checkpoint when cancelled', async () => {
    const { dir, models } = fixture();
    const cancelled = { report() {}, checkpoint() { throw new JobCancelledError('The job was cancelled.'); } };
    await expect(checkModelFiles(models, dir, cancelled)).rejects.toBeInstanceOf(JobCancelledError);
  });
});
