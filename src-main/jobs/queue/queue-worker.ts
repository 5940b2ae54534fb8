/**
 * `joule worker`: takes jobs of the kinds it was given from the BullMQ queues and runs them with
 * the same job tasks as the window, in a local worker pool (so a crash or a hang fails one job,
 * not the worker). It registers what it offers and heartbeats; forwards progress through BullMQ;
 * stops a job when its cancel key appears; fetches the inputs it lacks into its cache folder
 * (checked by sha256) and sends back the files the job wrote. It also gathers the tables of sweeps.
 *
 * A worker killed mid-job holds a lock it can no longer renew: BullMQ's stalled-job check hands
 * the job to another worker once the lock expires (`lockMs`).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DelayedError, Job, Queue, Worker as BullWorker, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobInfo, QueueWorkerInfo } from '../../common/api/jobs';
import { JobCancelledError } from '../../common/errors';
import { cancelByTermination, hangTimeoutFor, type JouleJobs } from '../catalog';
import type { JobEnvironment } from '../environment';
import { JobPool } from '../pool';
import { BlobStore } from './blob-store';
import { checkReachable, openConnection } from './connection';
import { toQueueFailure } from './failure';
import { cancelKey, GATHER_QUEUE, QUEUE_PREFIX, queueName, type QueueKind } from './names';
import { HEARTBEAT_MS, register, unregister } from './registry';
import type { GatherData, QueueJobData } from './queue-executor';
import { packOutput, unpackInput, withOrigins } from './travel';

export interface QueueWorkerOptions {
  url: string;
  kinds: QueueKind[];
  /** Jobs run at once (default 1). */
  concurrency: number;
  /** Inputs by hash and each job's own folder. */
  cacheDir: string;
  env: JobEnvironment;
  /** How long a job's lock lasts without renewal: a killed worker's job waits this long for another (default 30 s). */
  lockMs?: number;
  /** One line per event (took, finished, failed); quiet when absent. */
  log?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { event: 'ready'; worker: QueueWorkerInfo }
  | { event: 'took'; jobId: string; kind: string; title: string; attempt: number }
  | { event: 'finished'; jobId: string; kind: string; ms: number }
  | { event: 'failed'; jobId: string; kind: string; error: string }
  | { event: 'gathered'; jobId: string; children: number };

export interface RunningQueueWorker {
  info: QueueWorkerInfo;
  /** Stops taking jobs, waits for those running (or abandons them with `force`), unregisters. */
  close(force?: boolean): Promise<void>;
}

const CANCEL_POLL_MS = 500;
const PROGRESS_INTERVAL_MS = 250;
const GATHER_RETRY_MS = 2_000;
const BUSY_RETRY_MS = 1_000;

export async function startQueueWorker(options: QueueWorkerOptions): Promise<RunningQueueWorker> {
  await checkReachable(options.url);
  const redis = openConnection(options.url, 'producer');
  const store = new BlobStore(redis);
  const ortVersion = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  const info: QueueWorkerInfo = {
    id: `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    host: os.hostname(),
    pid: process.pid,
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    onnxruntimeVersion: ortVersion,
    kinds: [...options.kinds],
    concurrency: options.concurrency,
    busy: 0,
    startedAt: Date.now(),
    seenAt: Date.now(),
  };
  const listeners = new Map<string, (job: JobInfo) => void>();
  const pool = new JobPool<JouleJobs>({
    size: options.concurrency,
    env: options.env,
    hangTimeoutFor,
    cancelByTermination,
    onUpdate: (job) => listeners.get(job.id)?.(job),
  });

  let abandoning = false;
  const runTask: Processor<QueueJobData> = async (job, token) => {
    const kind = job.data.kind;
    if (!options.kinds.includes(kind) || job.name !== kind) throw toQueueFailure(new Error(`This worker does not run ${String(kind)} jobs.`));
    // Every BullMQ worker of this process takes up to `concurrency` jobs of its kind: a job beyond
    // what the process runs at once goes back to the queue for a worker that is free.
    if (info.busy >= options.concurrency) {
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
      throw new DelayedError();
    }
    info.busy++;
    const started = Date.now();
    options.log?.({ event: 'took', jobId: job.id!, kind, title: job.data.title, attempt: job.attemptsMade + 1 });
    // Named by this worker alone: a job id is chosen by whoever writes to Redis.
    const dirs = { cacheDir: options.cacheDir, jobDir: path.join(options.cacheDir, 'jobs', randomBytes(12).toString('hex')) };
    let origins = new Map<string, string>();
    try {
      await fs.mkdir(dirs.jobDir, { recursive: true });
      if (await redis.exists(cancelKey(job.id!))) throw new JobCancelledError('The job was cancelled before it started.');
      const unpacked = await unpackInput(kind, job.data.input, store, dirs);
      origins = unpacked.origins;
      const run = pool.start(kind, unpacked.input as never, { title: job.data.title });
      let lastSent = 0;
      listeners.set(run.id, (update) => {
        const now = Date.now();
        if (update.state !== 'running' || now - lastSent < PROGRESS_INTERVAL_MS) return;
        lastSent = now;
        const p = update.progress;
        void job.updateProgress({ fraction: p.fraction, message: withOrigins(p.message, origins), metrics: p.metrics, worker: info.host }).catch(() => {});
      });
      const poll = setInterval(() => {
        void redis.exists(cancelKey(job.id!)).then((n) => n && pool.cancel(run.id)).catch(() => {});
      }, CANCEL_POLL_MS);
      try {
        const result = await run.done;
        const travelled = await packOutput(result, dirs, origins, store);
        options.log?.({ event: 'finished', jobId: job.id!, kind, ms: Date.now() - started });
        return travelled;
      } finally {
        clearInterval(poll);
        listeners.delete(run.id);
      }
    } catch (error) {
      // Left to other workers (a second Ctrl+C): the job must not fail here and spend an attempt;
      // its lock lapses and BullMQ's stalled-job check hands it on.
      if (abandoning) await new Promise<never>(() => {});
      const failure = toQueueFailure(error, (text) => withOrigins(text, origins));
      options.log?.({ event: 'failed', jobId: job.id!, kind, error: failure.message });
      throw failure;
    } finally {
      info.busy--;
      await fs.rm(dirs.jobDir, { recursive: true, force: true }).catch(() => {});
    }
  };

  const gatherQueues = new Map<string, Queue>();
  const queueFor = (name: string) => {
    let queue = gatherQueues.get(name);
    if (!queue) gatherQueues.set(name, (queue = new Queue(name, { connection: redis, prefix: QUEUE_PREFIX })));
    return queue;
  };
  /** A sweep's parent: waits for every child (some may belong to an earlier sweep), then returns the table. */
  const gather: Processor<GatherData> = async (job, token) => {
    const rows = [];
    for (const child of job.data.children) {
      const childJob = await Job.fromId(queueFor(child.queue), child.id);
      const state = childJob ? await childJob.getState() : 'missing';
      if (state !== 'completed' && state !== 'failed' && state !== 'missing') {
        await job.moveToDelayed(Date.now() + GATHER_RETRY_MS, token);
        throw new DelayedError();
      }
      rows.push(state === 'completed' ? { ...child, state, result: (childJob!.returnvalue as { result: unknown }).result } : { ...child, state, error: childJob?.failedReason ?? 'The job is no longer in the queue.' });
    }
    options.log?.({ event: 'gathered', jobId: job.id!, children: rows.length });
    return { title: job.data.title, rows };
  };

  const lockDuration = options.lockMs ?? 30_000;
  const workerOptions = {
    prefix: QUEUE_PREFIX,
    name: info.id,
    lockDuration,
    stalledInterval: Math.max(1_000, Math.round(lockDuration / 2)),
    maxStalledCount: 2,
  };
  // BullMQ leaves connections it was handed open: these are closed with the worker.
  const connections: Redis[] = [];
  const blocking = () => {
    const connection = openConnection(options.url, 'blocking');
    connections.push(connection);
    return connection;
  };
  const workers: BullWorker[] = options.kinds.map((kind) => new BullWorker(queueName(kind), runTask, { ...workerOptions, connection: blocking(), concurrency: options.concurrency }));
  workers.push(new BullWorker(GATHER_QUEUE, gather, { ...workerOptions, connection: blocking(), concurrency: 1 }));
  for (const worker of workers) worker.on('error', () => {});
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  await register(redis, info);
  const heartbeat = setInterval(() => void register(redis, info).catch(() => {}), HEARTBEAT_MS);
  options.log?.({ event: 'ready', worker: { ...info } });

  return {
    info,
    async close(force = false) {
      abandoning = force;
      clearInterval(heartbeat);
      await Promise.allSettled(workers.map((w) => w.close(force)));
      await pool.close();
      await unregister(redis, info.id).catch(() => {});
      await Promise.allSettled([...gatherQueues.values()].map((q) => q.close()));
      redis.disconnect();
      for (const connection of connections) connection.disconnect();
    },
  };
}
