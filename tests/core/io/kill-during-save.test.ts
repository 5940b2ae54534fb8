import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { readProjectFile } from '../../../src-main/core/project/project-file';
import { mulberry32 } from '../../../src-main/common/random';

const TRIALS = Number(process.env.JOULE_KILL_TRIALS ?? 100);
const worker = fileURLToPath(new URL('./kill-worker.ts', import.meta.url));
const sample = fileURLToPath(new URL('../../../resources/sample/sample.joule', import.meta.url));
const devicesDir = fileURLToPath(new URL('../../../resources/devices', import.meta.url));

/** Starts a saving child, kills it `delayMs` after its first save started, and resolves when it is gone. */
async function killAfter(dir: string, ids: readonly string[], delayMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, path.join(dir, 'fleet.joule'), path.join(dir, 'exports'), ids.join(',')], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => {
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('exit', () => resolve());
  });
}

/** Every export folder that exists is whole: its manifest parses and names files of the right size. */
function checkExports(dir: string): void {
  for (const name of readdirSync(dir).filter((n) => !n.includes('.joule-tmp-'))) {
    const manifest = JSON.parse(readFileSync(path.join(dir, name, 'manifest.json'), 'utf8')) as { files: { path: string; bytes: number }[] };
    for (const f of manifest.files) expect(statSync(path.join(dir, name, f.path)).size).toBe(f.bytes);
  }
}

describe('a process killed at random moments while saving and exporting', () => {
  it(`always leaves a project and a .bak that parse and validate, and only whole exports (${TRIALS} kills)`, async () => {
    const ids = (await DeviceLibrary.load(devicesDir)).ids();
    const random = mulberry32(20261206);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-kill-'));
    let midWrite = 0;
    // Two children at a time, each in its own folder, to keep the test within a CI minute.
    const lanes = [0, 1].map((lane) => {
      const laneDir = path.join(dir, `lane-${lane}`);
      mkdirSync(path.join(laneDir, 'exports'), { recursive: true });
      copyFileSync(sample, path.join(laneDir, 'fleet.joule'));
      return laneDir;
    });
    await Promise.all(
      lanes.map(async (laneDir, lane) => {
        for (let trial = lane; trial < TRIALS; trial += lanes.length) {
          await killAfter(laneDir, ids, random() * 80);
          const file = path.join(laneDir, 'fleet.joule');
          await readProjectFile(file, ids);
          // A temp file left behind means the kill landed inside a write (cleaned by the next save).
          const exportsDir = path.join(laneDir, 'exports');
          if ([...readdirSync(laneDir), ...readdirSync(exportsDir)].some((n) => n.includes('.joule-tmp-'))) midWrite++;
          if (existsSync(`${file}.bak`)) await readProjectFile(`${file}.bak`, ids);
          checkExports(exportsDir);
        }
      }),
    );
    // The test means something only if many kills hit a write in progress.
    expect(midWrite).toBeGreaterThan(TRIALS / 4);
  }, 300_000);
});
