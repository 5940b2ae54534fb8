/**
 * Issue 18 end to end: a real redis-server, two `joule worker` processes, an options sweep and a
 * placement sweep submitted through the CLI with --redis. One worker is killed with SIGKILL in the
 * middle of a job: BullMQ's stalled-job check hands the job to the other worker, and the results
 * (pruned ONNX files byte for byte, energies, accuracies) equal a local run's with the same seeds.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../host/run-cli';
import { resourcesDir } from '../../src-main/host/paths';
import { createRuntime } from '../../src-main/services';
import { pngFrom } from '../core/train/data/png-encoder';
import { REDIS_SERVER, startRedis, startWorker, stopProcess, type RedisServer, type WorkerProcess } from './redis-server';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const sample = path.resolve(import.meta.dirname, '..', '..', 'resources', 'sample', 'sample.joule');

/** What must not differ between machines: everything but timings. */
function comparable(row: Record<string, unknown>) {
  const { measuredMs: _m, originalMeasuredMs: _o, file, ...rest } = row;
  return { ...rest, onnx: typeof file === 'string' ? sha256(file) : null };
}

const SWEEP = ['zoo:lenet5', '--devices', 'raspberry-pi-4,jetson-nano-10w', '--budgets', '0.9,0.7', '--criterion', 'energy-l1', '--dataset', 'fashion-mnist', '--finetune-samples', '3000', '--finetune-epochs', '1', '--threads', '1', '--seed', '5', '--json'];

describe.skipIf(!REDIS_SERVER)('sweeps on a BullMQ queue with two workers', () => {
  let redis: RedisServer;
  let workers: WorkerProcess[] = [];
  let dir: string;

  beforeAll(async () => {
    process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-queue-home-'));
    dir = mkdtempSync(path.join(os.tmpdir(), 'joule-queue-'));
    redis = await startRedis();
    // A killed worker's job is handed on once its 3 s lock expires (30 s by default).
    workers = await Promise.all([startWorker(redis.url, ['--lock-s', '3']), startWorker(redis.url, ['--lock-s', '3'])]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w.child)));
    await redis?.stop();
  }, 60_000);

  it('lists both workers with their capabilities', async () => {
    const { code, out } = await cli('workers', '--redis', redis.url, '--json');
    expect(code).toBe(0);
    const list = JSON.parse(out);
    expect(list).toHaveLength(2);
    for (const w of list) {
      expect(w).toMatchObject({ host: os.hostname(), cores: os.availableParallelism(), concurrency: 1, kinds: ['prune.run', 'train.run', 'placement.run', 'placement.pareto'] });
      expect(w.onnxruntimeVersion).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('finishes an options sweep after a worker is killed mid-job, with the results of a local run', async () => {
    const local = await cli('options', ...SWEEP, '--out-dir', path.join(dir, 'local'));
    expect(local.err).toBe('');
    const [victim, survivor] = workers;
    const queued = cli('options', ...SWEEP, '--out-dir', path.join(dir, 'queue'), '--redis', redis.url);
    const took = await victim.waitFor((e) => e.event === 'took', 120_000);
    victim.child.kill('SIGKILL');
    const remote = await queued;
    expect(remote.err).toBe('');
    expect(remote.code).toBe(local.code);

    // The killed worker's job went back to the queue and the other worker ran it.
    expect(survivor.events.some((e) => e.event === 'took' && e.jobId === took.jobId)).toBe(true);
    const localRows = JSON.parse(local.out);
    const remoteRows = JSON.parse(remote.out);
    expect(remoteRows).toHaveLength(4);
    expect(remoteRows.map(comparable)).toEqual(localRows.map(comparable));
    const written = remoteRows.filter((r: { file?: string }) => r.file);
    expect(written.length).toBeGreaterThanOrEqual(3);
    for (const row of written) expect(path.dirname(row.file)).toBe(path.join(dir, 'queue'));

    // The flow's parent gathered the table of the four children.
    const gather = new Queue('sweep-gather', { connection: { url: redis.url }, prefix: 'joule' });
    // It runs once the last child has finished, after the CLI has its rows: wait for it.
    let [parent] = await gather.getCompleted();
    for (let i = 0; !parent && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 200));
      [parent] = await gather.getCompleted();
    }
    expect(parent.returnvalue.rows.map((r: { state: string }) => r.state).sort()).toEqual(remoteRows.map((r: { error?: string }) => (r.error ? 'failed' : 'completed')).sort());
    await gather.close();

    // Submitted again: every child is reused, no worker runs anything new.
    const tookBefore = survivor.events.filter((e) => e.event === 'took').length;
    const again = await cli('options', ...SWEEP, '--out-dir', path.join(dir, 'again'), '--redis', redis.url);
    expect(JSON.parse(again.out).map(comparable)).toEqual(localRows.map(comparable));
    expect(survivor.events.filter((e) => e.event === 'took').length).toBe(tookBefore);
  }, 300_000);

  it('runs a placement sweep on the queue with the front a local run finds', async () => {
    const args = ['schedule', 'sweep', sample, '--algo', 'aco', '--points', '3', '--max-iterations', '15', '--time-limit', '30', '--seed', '2', '--threads', '1', '--json'];
    const local = await cli(...args);
    const remote = await cli(...args, '--redis', redis.url);
    expect(remote.err).toBe('');
    expect(remote.code).toBe(0);
    const points = (out: string) => JSON.parse(out).points.map(({ ms: _ms, ...p }: Record<string, unknown>) => p);
    expect(points(remote.out)).toEqual(points(local.out));
    expect(workers[1].events.some((e) => e.event === 'took' && e.kind === 'placement.pareto')).toBe(true);
  }, 120_000);

  it('trains on an image folder carried to a worker, with the weights and history of a local run', async () => {
    const images = path.join(dir, 'stripes');
    for (const [cls, lit] of [['top', (y: number) => y < 14], ['bottom', (y: number) => y >= 14]] as const) {
      mkdirSync(path.join(images, cls), { recursive: true });
      for (let i = 0; i < 24; i++) writeFileSync(path.join(images, cls, `${i}.png`), pngFrom(28, 28, 0, (x, y) => [lit(y) ? 200 + ((x * 7 + i * 13) % 50) : (x * 3 + i) % 40]));
    }
    const args = (out: string) => ['train', 'zoo:lenet5', '--dataset', images, '--epochs', '2', '--threads', '1', '--seed', '3', '--out', path.join(dir, out), '--json'];
    const local = await cli(...args('trained-local.onnx'));
    expect(local.code).toBe(0);
    const remote = await cli(...args('trained-queue.onnx'), '--redis', redis.url);
    expect(remote.err).toBe('');
    expect(remote.code).toBe(0);
    const l = JSON.parse(local.out);
    const r = JSON.parse(remote.out);
    expect(r.out).toBe(path.join(dir, 'trained-queue.onnx'));
    expect(sha256(r.out)).toBe(sha256(l.out));
    const history = (h: { ms?: number }[]) => h.map(({ ms: _ms, ...e }) => e);
    expect(history(r.history)).toEqual(history(l.history));
    // The card names the planner's image folder, not the worker's copy of it.
    expect(readFileSync(r.card, 'utf8')).toContain(JSON.stringify(images).slice(1, -1));
    expect(readFileSync(r.card, 'utf8')).not.toMatch(/worker-cache|joule-worker-/);
  }, 180_000);

  it('cancels a running queue job through its cancel key, as the window does, without retrying it', async () => {
    const runtime = createRuntime({ resourcesDir, dataDir: process.env.JOULE_HOME!, documentsDir: dir, queue: { url: redis.url } });
    try {
      const worker = workers[1];
      const before = worker.events.length;
      const request = { model: { zoo: 'lenet5' }, deviceId: 'raspberry-pi-4', budget: { fraction: 0.6 }, dataset: 'fashion-mnist' as const, finetuneSamples: 20_000, threads: 1, out: path.join(dir, 'cancelled.onnx') };
      const id = await runtime.services.pruning.start(request);
      expect(id).toMatch(/^queue-/);
      await worker.waitFor((e) => e.event === 'took' && worker.events.indexOf(e) >= before, 60_000);
      await runtime.services.jobs.cancel(id);
      await expect(runtime.services.jobs.result(id)).rejects.toMatchObject({ name: 'JobCancelledError' });
      const info = (await runtime.services.jobs.list()).find((j) => j.id === id)!;
      expect(info.state).toBe('cancelled');
      const failure = await worker.waitFor((e) => e.event === 'failed' && worker.events.indexOf(e) >= before, 30_000);
      expect(failure.error).toMatch(/^JobCancelledError: /);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(worker.events.slice(before).filter((e) => e.event === 'took')).toHaveLength(1);
      expect((await import('node:fs')).existsSync(path.join(dir, 'cancelled.onnx'))).toBe(false);

      // The same request submitted again runs again: a cancel is not a verdict BullMQ keeps.
      const again = await runtime.services.pruning.start(request);
      await worker.waitFor((e) => e.event === 'took' && worker.events.slice(before).filter((x) => x.event === 'took').length >= 2, 60_000);
      await runtime.services.jobs.cancel(again);
      await expect(runtime.services.jobs.result(again)).rejects.toMatchObject({ name: 'JobCancelledError' });
    } finally {
      await runtime.close();
    }
  }, 120_000);

  it('cancelling in one window stops following a job another still follows, without stopping the job', async () => {
    const open = () => createRuntime({ resourcesDir, dataDir: process.env.JOULE_HOME!, documentsDir: dir, queue: { url: redis.url } });
    const [a, b] = [open(), open()];
    try {
      // The survivor of the kill above (or either worker when this test runs alone).
      const worker = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null)!;
      const before = worker.events.length;
      const request = { model: { zoo: 'lenet5' }, deviceId: 'raspberry-pi-4', budget: { fraction: 0.7 }, dataset: 'fashion-mnist' as const, finetuneSamples: 6_000, threads: 1, seed: 11, out: path.join(dir, 'shared.onnx') };
      const [first, second] = [await a.services.pruning.start(request), await b.services.pruning.start(request)];
      await worker.waitFor((e) => e.event === 'took' && worker.events.indexOf(e) >= before, 60_000);
      // Both follow the job once each has seen it run.
      for (const [runtime, id] of [[a, first], [b, second]] as const) {
        while ((await runtime.services.jobs.list()).find((j) => j.id === id)?.state !== 'running') await new Promise((r) => setTimeout(r, 50));
      }
      await a.services.jobs.cancel(first);
      await expect(a.services.jobs.result(first)).rejects.toThrow(/the job goes on for another submitter following it/);
      const report = (await b.services.jobs.result(second)) as { met: boolean; out: string };
      expect(report.met).toBe(true);
      expect(worker.events.slice(before).filter((e) => e.event === 'took')).toHaveLength(1);
      expect(worker.events.slice(before).some((e) => e.event === 'finished')).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 120_000);

  it('stops a job that always fails after three attempts and shows its error naming the file', async () => {
    const broken = path.join(dir, 'broken.onnx');
    (await import('node:fs')).writeFileSync(broken, 'not a model');
    const out = path.join(dir, 'never.onnx');
    const started = Date.now();
    const result = await cli('prune', broken, '--device', 'raspberry-pi-4', '--budget', '0.5', '--dataset', 'fashion-mnist', '--out', out, '--redis', redis.url, '--json');
    expect(result.code).toBe(1);
    // The worker's cache path is reported as the file the planner gave.
    expect(result.err).toMatch(new RegExp(`^joule: .*${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const failed = workers[1].events.filter((e) => e.event === 'failed' && String(e.error).includes('broken.onnx'));
    expect(failed).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});
