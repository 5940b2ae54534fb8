/**
 * Issue 14, item 4, with the production worker and HiGHS: a short job completes while a long MIP
 * runs, a running MIP is cancelled within 5 s (also on a large fleet, where HiGHS did not reach
 * its interrupt callback for about 10 s after a cancel), and the pool then solves the next MIP.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../src-main/common/errors';
import { DeviceLibrary } from '../../src-main/core/energy/device-library';
import { generateFleet } from '../../src-main/core/schedule/fleet';
import { workerModuleUrl } from '../../src-main/core/workers/start';
import { cancelByTermination, hangTimeoutFor, jobLane, type JouleJobs } from '../../src-main/jobs/catalog';
import { JobPool } from '../../src-main/jobs/pool';
import { resourcesDir, testEnvironment } from './context';

const gapDir = path.resolve(import.meta.dirname, '../fixtures/gap');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let pool: JobPool<JouleJobs>;

beforeAll(() => {
  pool = new JobPool<JouleJobs>({ workerUrl: workerModuleUrl('job-worker'), size: 1, env: testEnvironment(), hangTimeoutFor, laneOf: jobLane, cancelByTermination });
});
afterAll(() => pool.close());

async function untilRunning(id: string): Promise<void> {
  while (pool.get(id).state === 'queued') await sleep(20);
}

async function cancelSeconds(id: string, done: Promise<unknown>): Promise<number> {
  const at = Date.now();
  pool.cancel(id);
  await expect(done).rejects.toBeInstanceOf(JobCancelledError);
  return (Date.now() - at) / 1000;
}

describe('the job pool with HiGHS', () => {
  it('answers a project check while a hard MIP runs, cancels the MIP within 5 s, then solves the next MIP', async () => {
    const mip = pool.start('placement.gap', { file: path.join(gapDir, 'gapd.txt'), instance: 6, algo: 'mip', timeLimitS: 600 });
    await untilRunning(mip.id);
    await sleep(1000);
    const asked = Date.now();
    await expect(pool.start('project.check', { models: [], baseDir: gapDir }).done).resolves.toBeDefined();
    expect(Date.now() - asked).toBeLessThan(3_000);
    expect(pool.get(mip.id).state).toBe('running');
    expect(await cancelSeconds(mip.id, mip.done)).toBeLessThan(5);
    const next = await pool.start('placement.gap', { file: path.join(gapDir, 'gap1.txt'), instance: 1, algo: 'mip', timeLimitS: 30 }).done;
    expect(next).toMatchObject({ objective: 336, optimal: true });
  }, 60_000);

  it('cancels a MIP on a large fleet within 5 s, before HiGHS reaches its interrupt callback', async () => {
    const problem = generateFleet(await DeviceLibrary.load(path.join(resourcesDir, 'devices')), { nodes: 1000, workloads: 10_000, seed: 1, locality: true });
    const mip = pool.start('placement.run', { problem, algo: 'mip', settings: { timeLimitS: 600 } });
    await untilRunning(mip.id);
    await sleep(3000);
    expect(await cancelSeconds(mip.id, mip.done)).toBeLessThan(5);
    await expect(pool.start('placement.gap', { file: path.join(gapDir, 'gap1.txt'), instance: 2, algo: 'mip', timeLimitS: 30 }).done).resolves.toMatchObject({ objective: 327 });
  }, 90_000);
});
