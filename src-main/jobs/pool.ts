/**
 * A pool of worker threads for long work: queueing, progress with ETA, cooperative cancel, and
 * isolation. A worker that crashes or stops responding fails only its own job; the pool starts
 * a replacement and keeps going.
 *
 * Cancellation is cooperative (a shared flag the job checks between steps) because terminating a
 * worker in the middle of an onnxruntime run aborts the whole process. For the same reason a
 * worker that looks hung while inside native code is abandoned rather than terminated, and is
 * terminated only once it leaves native code.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorkerAt, workerModuleUrl } from '../core/workers/start';
import { JobCancelledError, JobFailedError, NotFoundError, deserializeError, type SerializedError } from '../common/errors';
import { isFinished, type JobInfo } from '../common/api/jobs';
import type { JobCatalog } from './context';
import type { JobEnvironment } from './environment';
import { FLAG_CANCEL, FLAG_COUNT, FLAG_IN_NATIVE, type FromWorker, type ToWorker, type WorkerData } from './protocol';

export interface JobPoolOptions {
  /** Worker module: a compiled `.js` file, or a `.ts` file booted through tsx (default: the job worker). */
  workerUrl?: URL;
  /** Number of workers; default cores - 1, at least 1. */
  size?: number;
  /** A running job whose worker sends nothing for this long is failed as hung (default 60 s). */
  hangTimeoutMs?: number;
  /** Called on every change of a job's state or progress. */
  onUpdate?: (job: JobInfo) => void;
  /** Handed to every worker, and from there to every job's context. */
  env?: JobEnvironment;
  /** A job kind's own hang limit, when it blocks in native code for longer than the pool's default. */
  hangTimeoutFor?: (kind: string, input: unknown) => number | undefined;
}

export interface StartOptions {
  title?: string;
}

interface JobRecord {
  info: JobInfo;
  input: unknown;
  hangTimeoutMs: number;
  cancelRequested: boolean;
  settle: { resolve: (v: unknown) => void; reject: (e: Error) => void };
  done: Promise<unknown>;
}

interface Slot {
  worker: Worker;
  flags: Int32Array;
  ready: boolean;
  job: JobRecord | null;
  lastSeen: number;
}

const WATCHDOG_MS = 250;
const ABANDONED_POLL_MS = 500;

export function defaultPoolSize(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export class JobPool<C extends JobCatalog> {
  private readonly slots = new Set<Slot>();
  private readonly queue: JobRecord[] = [];
  private readonly jobs = new Map<string, JobRecord>();
  private readonly size: number;
  private readonly hangTimeoutMs: number;
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: JobPoolOptions) {
    this.size = Math.max(1, options.size ?? defaultPoolSize());
    this.hangTimeoutMs = options.hangTimeoutMs ?? 60_000;
    this.watchdog = setInterval(() => this.checkForHangs(), WATCHDOG_MS);
    this.watchdog.unref();
  }

  /** Queues a job; the returned promise settles with its result or a typed error. */
  start<K extends keyof C & string>(kind: K, input: C[K]['input'], options: StartOptions = {}): { id: string; done: Promise<C[K]['output']> } {
    if (this.closed) throw new JobFailedError('The job pool is shut down.');
    const id = `job-${this.nextId++}`;
    let settle!: JobRecord['settle'];
    const done = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    // Unawaited results must not crash the process as unhandled rejections.
    done.catch(() => {});
    const record: JobRecord = {
      info: {
        id,
        kind,
        title: options.title ?? kind,
        state: 'queued',
        progress: { fraction: null, message: 'Waiting for a worker', etaMs: null, metrics: null },
        createdAt: Date.now(),
        startedAt: null,
        finishedAt: null,
        error: null,
      },
      input,
      hangTimeoutMs: this.options.hangTimeoutFor?.(kind, input) ?? this.hangTimeoutMs,
      cancelRequested: false,
      settle,
      done,
    };
    this.jobs.set(id, record);
    this.queue.push(record);
    // Workers start with the first job, so hosts that never run one pay nothing for the pool.
    while (this.slots.size < this.size) this.spawn();
    this.emit(record);
    this.dispatch();
    return { id, done: done as Promise<C[K]['output']> };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info })).reverse();
  }

  get(jobId: string): JobInfo {
    return { ...this.record(jobId).info };
  }

  result(jobId: string): Promise<unknown> {
    return this.record(jobId).done;
  }

  cancel(jobId: string): JobInfo {
    const record = this.record(jobId);
    if (isFinished(record.info.state)) return { ...record.info };
    record.cancelRequested = true;
    const queued = this.queue.indexOf(record);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.finish(record, 'cancelled', new JobCancelledError(`${record.info.title} was cancelled before it started.`));
    } else {
      const slot = this.slotOf(record);
      if (slot) {
        Atomics.store(slot.flags, FLAG_CANCEL, 1);
        this.post(slot, { type: 'job.cancel', jobId });
        record.info.progress = { ...record.info.progress, message: 'Stopping at the next checkpoint', etaMs: null };
        this.emit(record);
      }
    }
    return { ...record.info };
  }

  /** Stops every worker; jobs still queued or running fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    for (const record of this.queue.splice(0)) this.finish(record, 'cancelled', new JobCancelledError('Joule is shutting down.'));
    const workers = [...this.slots];
    this.slots.clear();
    for (const slot of workers) if (slot.job) this.finish(slot.job, 'failed', new JobFailedError('Joule shut down while the job ran.'));
    await Promise.all(workers.map((s) => s.worker.terminate()));
  }

  private record(jobId: string): JobRecord {
    const record = this.jobs.get(jobId);
    if (!record) throw new NotFoundError(`There is no job "${jobId}" in this session.`);
    return record;
  }

  private slotOf(record: JobRecord): Slot | undefined {
    for (const slot of this.slots) if (slot.job === record) return slot;
    return undefined;
  }

  private spawn(): void {
    const flags = new SharedArrayBuffer(FLAG_COUNT * Int32Array.BYTES_PER_ELEMENT);
    const data: WorkerData = { flags, env: this.options.env };
    const worker = startWorkerAt(this.options.workerUrl ?? workerModuleUrl('job-worker'), data as unknown as Record<string, unknown>);
    const slot: Slot = { worker, flags: new Int32Array(flags), ready: false, job: null, lastSeen: Date.now() };
    this.slots.add(slot);
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    worker.on('error', (error) => this.onWorkerLost(slot, `crashed: ${error.message}`));
    worker.on('exit', (code) => this.onWorkerLost(slot, `exited unexpectedly with code ${code}`));
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (!this.slots.has(slot)) return;
    slot.lastSeen = Date.now();
    const record = slot.job;
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        this.dispatch();
        return;
      case 'heartbeat':
        return;
      case 'job.progress':
        if (record?.info.id !== message.jobId || record.cancelRequested) return;
        record.info.progress = this.progressWithEta(record, message.fraction, message.message, message.metrics);
        this.emit(record);
        return;
      case 'job.result':
      case 'job.error':
        if (record?.info.id !== message.jobId) return;
        slot.job = null;
        if (message.type === 'job.result' && !record.cancelRequested) this.finish(record, 'succeeded', null, message.result);
        else this.finishWithError(record, message.type === 'job.error' ? message.error : null);
        this.dispatch();
        return;
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message from worker: ${JSON.stringify(unknown)}`);
      }
    }
  }

  private finishWithError(record: JobRecord, error: SerializedError | null): void {
    if (record.cancelRequested || error?.name === 'JobCancelledError') {
      this.finish(record, 'cancelled', new JobCancelledError(`${record.info.title} was cancelled.`));
    } else {
      this.finish(record, 'failed', deserializeError(error ?? { name: 'JobFailedError', message: 'The job failed.' }));
    }
  }

  private progressWithEta(record: JobRecord, fraction: number | null, message: string, metrics: Record<string, number> | null): JobInfo['progress'] {
    const started = record.info.startedAt ?? Date.now();
    const elapsed = Date.now() - started;
    const etaMs = fraction !== null && fraction > 0.01 && fraction < 1 ? Math.round((elapsed * (1 - fraction)) / fraction) : fraction === 1 ? 0 : null;
    return { fraction, message, etaMs, metrics };
  }

  private onWorkerLost(slot: Slot, why: string): void {
    if (!this.slots.has(slot)) return;
    this.slots.delete(slot);
    const record = slot.job;
    if (record) {
      const message = record.cancelRequested
        ? `${record.info.title} was cancelled.`
        : `The worker running "${record.info.title}" ${why}. Joule started a new worker; other work is unaffected.`;
      this.finish(record, record.cancelRequested ? 'cancelled' : 'failed', record.cancelRequested ? new JobCancelledError(message) : new JobFailedError(message));
    }
    if (this.closed) return;
    if (!slot.ready) {
      // The worker died while starting (a module that fails to load): respawning at once would
      // loop forever. Fail what waits and start afresh with the next job.
      for (const queued of this.queue.splice(0)) this.finish(queued, 'failed', new JobFailedError(`Joule's worker could not start: it ${why}.`));
      return;
    }
    this.spawn();
    this.dispatch();
  }

  private checkForHangs(): void {
    const now = Date.now();
    for (const slot of this.slots) {
      const record = slot.job;
      if (!record || now - slot.lastSeen < record.hangTimeoutMs) continue;
      const seconds = Math.round((now - slot.lastSeen) / 1000);
      this.slots.delete(slot);
      this.finish(
        record,
        'failed',
        new JobFailedError(`"${record.info.title}" stopped responding for ${seconds} s; Joule stopped it and started a new worker.`),
      );
      this.retire(slot);
      this.spawn();
    }
    this.dispatch();
  }

  /** Terminates a detached worker, waiting first for it to leave native code. */
  private retire(slot: Slot): void {
    slot.worker.removeAllListeners('message');
    slot.worker.removeAllListeners('exit');
    slot.worker.on('error', () => {});
    const attempt = () => {
      if (Atomics.load(slot.flags, FLAG_IN_NATIVE) !== 0) setTimeout(attempt, ABANDONED_POLL_MS).unref();
      else void slot.worker.terminate();
    };
    attempt();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job) continue;
      const record = this.queue.shift();
      if (!record) return;
      slot.job = record;
      slot.lastSeen = Date.now();
      Atomics.store(slot.flags, FLAG_CANCEL, 0);
      record.info.state = 'running';
      record.info.startedAt = Date.now();
      record.info.progress = { fraction: 0, message: 'Started', etaMs: null, metrics: null };
      this.emit(record);
      this.post(slot, { type: 'job.start', jobId: record.info.id, kind: record.info.kind, input: record.input });
    }
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  private finish(record: JobRecord, state: 'succeeded' | 'failed' | 'cancelled', error: Error | null, result?: unknown): void {
    if (isFinished(record.info.state)) return;
    record.info.state = state;
    record.info.finishedAt = Date.now();
    if (state === 'succeeded') record.info.progress = { ...record.info.progress, fraction: 1, message: 'Done', etaMs: 0 };
    if (error) {
      record.info.error = { name: error.name, message: error.message };
      record.info.progress = { ...record.info.progress, message: error.message, etaMs: null };
      record.settle.reject(error);
    } else {
      record.settle.resolve(result);
    }
    this.emit(record);
  }

  private emit(record: JobRecord): void {
    this.options.onUpdate?.({ ...record.info, progress: { ...record.info.progress } });
  }
}
