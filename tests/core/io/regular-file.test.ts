import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_SIZE_LIMITS, readRegularFile, readRegularFileSync, requireRegular, UnreadableFileError } from '../../../src-main/core/io/regular-file';
import { readProjectFile } from '../../../src-main/core/project/project-file';
import { readOnnxFile } from '../../../src-main/core/onnx/read';

const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-regular-'));

async function reason(read: () => unknown): Promise<string | null> {
  try {
    await read();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(UnreadableFileError);
    return (error as UnreadableFileError).reason;
  }
}

describe('readRegularFile', () => {
  it('reads a regular file', async () => {
    writeFileSync(path.join(dir, 'a.joule'), '{"x":1}');
    expect((await readRegularFile(path.join(dir, 'a.joule'), 'project')).toString()).toBe('{"x":1}');
    expect(readRegularFileSync(path.join(dir, 'a.joule'), 'project').toString()).toBe('{"x":1}');
  });

  it('refuses a named pipe at once, without waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe.onnx');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    expect(await reason(() => readRegularFile(fifo, 'onnx'))).toBe('not-regular');
    expect(await reason(() => readRegularFileSync(fifo, 'onnx'))).toBe('not-regular');
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(readProjectFile(fifo, null)).rejects.toThrow(`Cannot open ${fifo}: it is a named pipe, not a regular file.`);
    expect(() => readOnnxFile(fifo)).toThrow(`Cannot read ONNX model '${fifo}': it is a named pipe, not a regular file.`);
  });

  it('refuses /dev/zero without reading it, and a folder', async () => {
    const started = Date.now();
    await expect(readProjectFile('/dev/zero', null)).rejects.toThrow('Cannot open /dev/zero: it is a device, not a regular file.');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await reason(() => readRegularFile(dir, 'csv'))).toBe('directory');
    expect(await reason(() => readRegularFile(path.join(dir, 'missing'), 'csv'))).toBe('missing');
  });

  it('refuses a file above the limit of its kind before reading it', () => {
    const stat = { isDirectory: () => false, isFile: () => true, size: FILE_SIZE_LIMITS.project + 1 } as Stats;
    expect(() => requireRegular('/p/big.joule', stat, 'project')).toThrow('Cannot read /p/big.joule: it has 67,108,865 bytes, above the 64 MB limit for project files.');
    expect(() => requireRegular('/p/ok.onnx', { ...stat, size: FILE_SIZE_LIMITS.project + 1 } as Stats, 'onnx')).not.toThrow();
  });
});
