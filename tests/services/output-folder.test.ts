/**
 * Issue 14: training and pruning noticed a missing or unwritable output folder only when they wrote
 * their result, after the whole run. The services now check (and create) it before the job starts.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src-main/services';
import { prepareOutputFile, prepareOutputFolder } from '../../src-main/services/output-folder';

const resourcesDir = path.resolve(import.meta.dirname, '../../resources');
const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-out-'));
const isRoot = process.getuid?.() === 0;
let runtime: Runtime;

beforeAll(() => {
  process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-out-home-'));
  runtime = createRuntime({ resourcesDir, dataDir: process.env.JOULE_HOME, documentsDir: os.tmpdir(), poolSize: 1 });
});
afterAll(() => runtime.close());

describe('output folders', () => {
  it('are created when missing', async () => {
    const folder = path.join(dir, 'new', 'deeper');
    await prepareOutputFolder(folder, 'outDir');
    expect(existsSync(folder)).toBe(true);
  });

  it('are refused under a file, and an output file that is a folder is refused', async () => {
    writeFileSync(path.join(dir, 'plain.txt'), 'x');
    await expect(prepareOutputFolder(path.join(dir, 'plain.txt', 'sub'), 'outDir')).rejects.toThrow(`outDir: ${path.join(dir, 'plain.txt')} is a file, not a folder, so the output folder ${path.join(dir, 'plain.txt', 'sub')} cannot be made.`);
    mkdirSync(path.join(dir, 'model.onnx'));
    await expect(prepareOutputFile(path.join(dir, 'model.onnx'), 'out')).rejects.toThrow(`out: ${path.join(dir, 'model.onnx')} is a folder; give the path of the .onnx file to write.`);
  });

  it.skipIf(isRoot)('are refused when not writable', async () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    await expect(prepareOutputFolder(path.join(locked, 'runs'), 'outDir')).rejects.toThrow(`outDir: the folder ${locked} is not writable, so the result could not be saved in ${path.join(locked, 'runs')}; choose another output folder.`);
    chmodSync(locked, 0o700);
  });

  it('are checked by training and pruning before any job starts', async () => {
    const bad = path.join(dir, 'plain.txt', 'lenet.onnx');
    const jobsBefore = (await runtime.services.jobs.list()).length;
    await expect(runtime.services.training.start({ model: 'zoo:lenet5', dataset: 'fashion-mnist', epochs: 1, out: bad } as never)).rejects.toThrow(/^out: .*plain\.txt is a file, not a folder/);
    await expect(
      runtime.services.pruning.start({ model: { zoo: 'lenet5' }, dataset: 'fashion-mnist', deviceId: 'raspberry-pi-4', budget: { fraction: 0.5 }, out: bad } as never),
    ).rejects.toThrow(/^out: .*plain\.txt is a file, not a folder/);
    expect((await runtime.services.jobs.list()).length).toBe(jobsBefore);
  });
});
