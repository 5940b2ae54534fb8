import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src-main/common/api/jobs';
import { JobCancelledError, JobFailedError } from '../../src-main/common/errors';
import { JobPool } from '../../src-main/jobs/pool';
import type { TestJobs } from './fixtures/test-worker';

const workerUrl = new URL('./fixtures/test-worker.ts', import.meta.url);
let pool: JobPool<TestJobs> | null = null;

function makePool(options: { size?: number; hangTimeoutMs?: number } = {}) {
  const updates: JobInfo[] = [];
  pool = new JobPool<TestJobs>({ workerUrl, size: options.size ?? 1, hangTimeoutMs: options.hangTimeoutMs, onUpdate: (j) => updates.push(j) });
  return { pool, updates };
}

afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('JobPool', () => {
  it('runs a job in a worker and resolves with its result', async () => {
    const { pool } = makePool();
    const job = pool.start('echo', { value: 21 });
    await expect(job.done).resolves.toBe(42);
    expect(pool.get(job.id).state).toBe('succeeded');
  });

  it('reports progress with a fraction, a message and an ETA', async () => {
    const { pool, updates } = makePool();
    const job = pool.start('steps', { steps: 6, stepMs: 120 }, { title: 'Six steps' });
    await job.done;
    const progress = updates.filter((u) => u.id === job.id && u.state === 'running' && u.progress.fraction! > 0);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    const fractions = progress.map((u) => u.progress.fraction!);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.some((u) => u.progress.message.startsWith('Step ') && u.progress.etaMs !== null && u.progress.etaMs > 0)).toBe(true);
    expect(updates.at(-1)).toMatchObject({ id: job.id, state: 'succeeded', title: 'Six steps' });
  });

  it('cancels a running job at its next checkpoint', async () => {
    const { pool } = makePool();
    const job = pool.start('steps', { steps: 100, stepMs: 20 });
    await new Promise((r) => setTimeout(r, 300));
    pool.cancel(job.id);
    await expect(job.done).rejects.toBeInstanceOf(JobCancelledError);
    expect(pool.get(job.id).state).toBe('cancelled');
    // The worker is still usable afterwards.
    await expect(pool.start('echo', { value: 1 }).done).resolves.toBe(2);
  });

  it('cancels a queued job without running it', async () => {
    const { pool } = makePool({ size: 1 });
    const first = pool.start('steps', { steps: 5, stepMs: 50 });
    const second = pool.start('echo', { value: 5 });
    pool.cancel(second.id);
    await expect(second.done).rejects.toBeInstanceOf(JobCancelledError);
    await expect(first.done).resolves.toBe(5);
    expect(pool.get(second.id).startedAt).toBeNull();
  });

  it('fails only the job whose worker crashes, and replaces the worker', async () => {
    const { pool } = makePool();
    const crash = pool.start('crash', { how: 'throw-async' }, { title: 'Crashing job' });
    await expect(crash.done).rejects.toThrow(/The worker running "Crashing job" crashed: boom from a timer/);
    await expect(pool.start('echo', { value: 4 }).done).resolves.toBe(8);
    const exit = pool.start('crash', { how: 'exit' });
    await expect(exit.done).rejects.toThrow(/exited unexpectedly with code 3/);
    await expect(pool.start('echo', { value: 5 }).done).resolves.toBe(10);
  });

  it('fails a hung job with a clear error and keeps serving others', async () => {
    const { pool } = makePool({ hangTimeoutMs: 700 });
    const hung = pool.start('hang', { inNative: false, ms: 5_000 }, { title: 'Spinning job' });
    const error = await hung.done.catch((e: Error) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as Error).message).toMatch(/"Spinning job" stopped responding for \d+ s/);
    await expect(pool.start('echo', { value: 6 }).done).resolves.toBe(12);
  });

  it('does not terminate a hung worker while it is inside native code', async () => {
    const { pool } = makePool({ hangTimeoutMs: 500 });
    const hung = pool.start('hang', { inNative: true, ms: 4_000 });
    await expect(hung.done).rejects.toThrow(/stopped responding/);
    // A replacement worker serves new jobs while the old one is still in its 4 s native call
    // (waiting for it would take the full 4 s; a fresh worker starts in well under that).
    const started = Date.now();
    await expect(pool.start('echo', { value: 7 }).done).resolves.toBe(14);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('passes a job error through with its message', async () => {
    const { pool } = makePool();
    await expect(pool.start('fail', { message: 'Model file x.onnx is truncated.' }).done).rejects.toThrow('Model file x.onnx is truncated.');
  });

  it('runs jobs in parallel on several workers', async () => {
    const { pool } = makePool({ size: 2 });
    const a = pool.start('steps', { steps: 4, stepMs: 150 });
    const b = pool.start('steps', { steps: 4, stepMs: 150 });
    await Promise.all([a.done, b.done]);
    const [ja, jb] = [pool.get(a.id), pool.get(b.id)];
    // Both started before either finished: they overlapped on two workers.
    expect(Math.max(ja.startedAt!, jb.startedAt!)).toBeLessThan(Math.min(ja.finishedAt!, jb.finishedAt!));
  });
});

describe('JobPool with a worker that cannot start', () => {
  it('fails the waiting jobs with the reason instead of respawning forever', async () => {
    const broken = new JobPool<TestJobs>({ workerUrl: new URL('./fixtures/broken-worker.ts', import.meta.url), size: 1 });
    try {
      await expect(broken.start('echo', { value: 1 }).done).rejects.toThrow(/^Joule's worker could not start: it crashed: .*module is broken/);
    } finally {
      await broken.close();
    }
  });
});
