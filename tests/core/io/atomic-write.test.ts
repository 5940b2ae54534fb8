import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src-main/core/io/atomic-write';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'joule-atomic-'));

describe('writeFileAtomic', () => {
  it('replaces the file and keeps the previous version as .bak', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.joule');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('one');
    expect(readdirSync(dir).sort()).toEqual(['p.joule', 'p.joule.bak']);
  });

  it('removes temp files left by an earlier crashed save', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.joule');
    // 99999999 is above Linux's largest pid: that writer is gone.
    writeFileSync(path.join(dir, '.p.joule.joule-tmp-99999999-abcd'), 'half a proj');
    writeFileSync(path.join(dir, '.p.joule.bak.joule-tmp-99999999-abcd'), 'half a backup');
    await writeFileAtomic(file, 'whole');
    expect(readdirSync(dir)).toEqual(['p.joule']);
  });

  it("leaves another live process's temp file alone (its save is in progress)", async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.joule');
    const theirs = `.p.joule.joule-tmp-${process.ppid}-abcd`;
    writeFileSync(path.join(dir, theirs), 'their save in progress');
    await writeFileAtomic(file, 'mine');
    expect(readdirSync(dir).sort()).toEqual([theirs, 'p.joule']);
  });

  it('serialises saves of one file in a process: thirty at once all succeed and the last wins', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.joule');
    const versions = Array.from({ length: 30 }, (_, i) => JSON.stringify({ version: i, padding: 'x'.repeat(100_000) }));
    const results = await Promise.allSettled(versions.map((v) => writeFileAtomic(file, v)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(29);
    expect(JSON.parse(readFileSync(`${file}.bak`, 'utf8')).version).toBe(28);
    expect(readdirSync(dir).sort()).toEqual(['p.joule', 'p.joule.bak']);
  });

  it('keeps the .bak a separate file: writing the project later does not change it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.joule');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    await writeFileAtomic(file, 'three', { backup: false });
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('one');
  });

  /** Kills the saving child a few ms into its second or later save; returns the file's text. */
  async function killDuringSave(file: string, mode: 'atomic' | 'plain', delayMs: number): Promise<string> {
    const worker = fileURLToPath(new URL('./save-worker.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', worker, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SAVE_MODE: mode },
    });
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (/saving [2-9]/.test(chunk.toString())) setTimeout(() => child.kill('SIGKILL'), delayMs);
      });
      child.on('exit', () => resolve());
    });
    return readFileSync(file, 'utf8');
  }

  const parses = (text: string) => {
    try {
      return (JSON.parse(text) as { padding: string }).padding.length === 32 * 1024 * 1024;
    } catch {
      return false;
    }
  };

  it('never leaves a truncated file when the saving process is killed mid-save', async () => {
    const file = path.join(tempDir(), 'fleet.joule');
    for (const delayMs of [1, 6, 12]) expect(parses(await killDuringSave(file, 'atomic', delayMs))).toBe(true);
  });

  it('(control) a plain write killed the same way does leave a broken file', async () => {
    const file = path.join(tempDir(), 'fleet.joule');
    // Kill moments vary so at least one lands mid-write even on a loaded machine; stop at the first.
    let broken = false;
    for (const delayMs of [1, 4, 8, 12, 20, 30]) {
      broken = !parses(await killDuringSave(file, 'plain', delayMs));
      if (broken) break;
    }
    expect(broken).toBe(true);
  });
});
