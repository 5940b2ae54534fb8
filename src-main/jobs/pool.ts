/**
 * A pool of worker threads for long work: queueing, progress with ETA, cooperative cancel, and
 * isolation. A worker that crashes or stops responding fails only its own job; the pool starts
 * a replacement and keeps going.
 *
 * Two lanes: short jobs (checks, analyses, imports) have workers of their own and may also borrow
 * an idle long-lane worker; long jobs (solvers, training, pruning) run only in the long lane, so a
 * MIP never keeps an energy analysis waiting. Each lane starts its workers with its first job.
 *
 * Cancellation is cooperative (a shared flag the job checks between steps) because terminating a
 * worker in the middle of an onnxruntime run aborts the whole process. For the same reason a
 * worker that looks hung while inside native code is abandoned rather than terminated, and is
 * terminated only once it leaves native code. Kinds that only compute (the solvers: HiGHS's
 * WebAssembly cannot be interrupted between its callbacks) are settled as cancelled after a short
 * grace, and their worker is terminated and replaced.
 *
 * Memory stays bounded: at most `maxQueued` jobs wait; a job's input is dropped once its worker
 * has it; a result is dropped once collected or after `resultRetentionMs`; only the summaries of
 * the last `keepFinished` finished jobs are kept.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorkerAt, workerModuleUrl } from '../core/workers/start';
import { JobCancelledError, JobFailedError, JobQueueFullError, NotFoundError, deserializeError, type SerializedError } from '../common/errors';
import { isFinished, type JobInfo } from '../common/api/jobs';
import { describeValue } from '../common/validation';
import type { JobCatalog } from './context';
import type { JobEnvironment } from './environment';
import type { JobExecutor, StartOptions, SweepJob } from './executor';
import { collectResult, newJobRecord, progressWithEta, settleJob, type JobRecordCore } from './job-record';
import { FLAG_CANCEL, FLAG_COUNT, FLAG_IN_NATIVE, type FromWorker, type ToWorker, type WorkerData } from './protocol';

export interface JobPoolOptions {
  /** Worker module: a compiled `.js` file, or a `.ts` file booted through tsx (default: the job worker). */
  workerUrl?: URL;
  /** Workers of the long lane (of every job when `laneOf` is absent); default cores - 1, at least 1. */
  size?: number;
  /** Which lane a job kind runs in; absent: every job in the long lane. */
  laneOf?: (kind: string) => JobLane;
  /** Workers kept for short jobs (default 1). */
  shortLaneSize?: number;
  /** Kinds whose worker may be terminated when a cancelled job has not stopped after `cancelGraceMs`. */
  cancelByTermination?: (kind: string) => boolean;
  /** How long such a cancelled job may take to stop on its own (default 2 s). */
  cancelGraceMs?: number;
  /** Upper bound of every hang limit, whatever a kind asks for (default 15 min). */
  maxHangTimeoutMs?: number;
  /** Jobs that may wait for a worker; one more is refused with a JobQueueFullError (default 64). */
  maxQueued?: number;
  /** Finished jobs whose summaries are kept (default 50); older ones are forgotten. */
  keepFinished?: number;
  /** How long an uncollected result is kept after its job finished (default 10 min). */
  resultRetentionMs?: number;
  /** A running job whose worker sends nothing for this long is failed as hung (default 60 s). */
  hangTimeoutMs?: number;
  /** Called on every change of a job's state or progress. */
  onUpdate?: (job: JobInfo) => void;
  /** Handed to every worker, and from there to every job's context. */
  env?: JobEnvironment;
  /** A job kind's own hang limit, when it blocks in native code for longer than the pool's default. */
  hangTimeoutFor?: (kind: string, input: unknown) => number | undefined;
}

export type JobLane = 'short' | 'long';

/** What the pool holds, for tests and diagnostics. */
export interface JobPoolStats {
  queued: number;
  running: number;
  finished: number;
  /** Inputs still held: only those of queued jobs. */
  inputs: number;
  /** Results and errors of finished jobs not yet collected. */
  outcomes: number;
  workers: Record<JobLane, number>;
}

interface JobRecord extends JobRecordCore {
  lane: JobLane;
  /** Dropped as soon as a worker has it (the worker holds its own copy). */
  input: unknown;
  hangTimeoutMs: number;
  cancelRequested: boolean;
  cancelTimer: NodeJS.Timeout | null;
}

interface Slot {
  lane: JobLane;
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

export class JobPool<C extends JobCatalog> implements JobExecutor<C> {
  private readonly slots = new Set<Slot>();
  private readonly queue: JobRecord[] = [];
  private readonly jobs = new Map<string, JobRecord>();
  private readonly laneSize: Record<JobLane, number>;
  private readonly hangTimeoutMs: number;
  private readonly maxHangTimeoutMs: number;
  private readonly maxQueued: number;
  private readonly keepFinished: number;
  private readonly resultRetentionMs: number;
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: JobPoolOptions) {
    this.laneSize = {
      long: Math.max(1, options.size ?? defaultPoolSize()),
      short: options.laneOf ? Math.max(0, options.shortLaneSize ?? 1) : 0,
    };
    this.maxHangTimeoutMs = options.maxHangTimeoutMs ?? 15 * 60_000;
    this.hangTimeoutMs = Math.min(options.hangTimeoutMs ?? 60_000, this.maxHangTimeoutMs);
    this.maxQueued = options.maxQueued ?? 64;
    this.keepFinished = options.keepFinished ?? 50;
    this.resultRetentionMs = options.resultRetentionMs ?? 10 * 60_000;
    this.watchdog = setInterval(() => this.checkForHangs(), WATCHDOG_MS);
    this.watchdog.unref();
  }

  /**
   * Queues a job; the returned promise settles with its result or a typed error. Throws a
   * JobQueueFullError, starting nothing, when `maxQueued` jobs already wait.
   */
  start<K extends keyof C & string>(kind: K, input: C[K]['input'], options: StartOptions = {}): { id: string; done: Promise<C[K]['output']> } {
    if (this.closed) throw new JobFailedError('The job pool is shut down.');
    const title = options.title ?? kind;
    if (this.queue.length >= this.maxQueued) {
      throw new JobQueueFullError(`Joule refused to start "${title}": ${this.queue.length} jobs are already waiting, the most it queues (${this.maxQueued}). Wait for some to finish or cancel them, then start it again.`);
    }
    const id = `job-${this.nextId++}`;
    const lane = this.laneSize.short > 0 ? (this.options.laneOf?.(kind) ?? 'long') : 'long';
    const record: JobRecord = {
      ...newJobRecord(id, kind, title, 'Waiting for a worker'),
      lane,
      input,
      hangTimeoutMs: this.hangLimit(this.options.hangTimeoutFor?.(kind, input)),
      cancelRequested: false,
      cancelTimer: null,
    };
    this.jobs.set(id, record);
    this.queue.push(record);
    // A lane's workers start with its first job, so hosts that never run one pay nothing for it.
    this.fillLane(lane);
    this.emit(record);
    this.dispatch();
    return { id, done: record.done as Promise<C[K]['output']> };
  }

  /** A sweep on this machine is its jobs, queued in order. */
  startSweep(_title: string, jobs: SweepJob<C>[]): string[] {
    return jobs.map((job) => this.start(job.kind, job.input, { title: job.title }).id);
  }

  stats(): JobPoolStats {
    const records = [...this.jobs.values()];
    const workers: Record<JobLane, number> = { short: 0, long: 0 };
    for (const slot of this.slots) workers[slot.lane]++;
    return {
      queued: this.queue.length,
      running: records.filter((r) => r.info.state === 'running').length,
      finished: records.filter((r) => isFinished(r.info.state)).length,
      inputs: records.filter((r) => r.input !== undefined).length,
      outcomes: records.filter((r) => r.outcome !== null).length,
      workers,
    };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info })).reverse();
  }

  get(jobId: string): JobInfo {
    return { ...this.record(jobId).info };
  }

  /**
   * The job's result (or its error), once: a finished job's result is dropped when it has been
   * collected, and after `resultRetentionMs` if nobody collects it; its summary stays.
   */
  result(jobId: string): Promise<unknown> {
    const record = this.record(jobId);
    return collectResult(
      record,
      () => new NotFoundError(`The result of ${record.info.title} (${jobId}) is no longer kept: Joule hands a finished job's result out once, and drops it ${Math.round(this.resultRetentionMs / 60_000)} min after the job ends.`),
    );
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
        if (this.options.cancelByTermination?.(record.info.kind)) {
          record.cancelTimer = setTimeout(() => this.stopByTermination(record), this.options.cancelGraceMs ?? 2_000);
          record.cancelTimer.unref();
        }
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

  /** A cancelled job that did not stop within its grace: its worker is replaced (only kinds without side effects). */
  private stopByTermination(record: JobRecord): void {
    const slot = this.slotOf(record);
    if (!slot || this.closed) return;
    this.slots.delete(slot);
    this.finish(record, 'cancelled', new JobCancelledError(`${record.info.title} was cancelled.`));
    this.retire(slot);
    this.spawn(slot.lane);
    this.dispatch();
  }

  /** A kind's hang limit, or the default when it names none (or nonsense), never above the cap. */
  private hangLimit(ms: number | undefined): number {
    const limit = typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : this.hangTimeoutMs;
    return Math.min(limit, this.maxHangTimeoutMs);
  }

  private fillLane(lane: JobLane): void {
    let count = 0;
    for (const slot of this.slots) if (slot.lane === lane) count++;
    for (; count < this.laneSize[lane]; count++) this.spawn(lane);
  }

  private record(jobId: string): JobRecord {
    const record = this.jobs.get(jobId);
    if (!record) throw new NotFoundError(`There is no job ${describeValue(jobId)} in this session.`);
    return record;
  }

  private slotOf(record: JobRecord): Slot | undefined {
    for (const slot of this.slots) if (slot.job === record) return slot;
    return undefined;
  }

  private spawn(lane: JobLane): void {
    const flags = new SharedArrayBuffer(FLAG_COUNT * Int32Array.BYTES_PER_ELEMENT);
    const data: WorkerData = { flags, env: this.options.env };
    const worker = startWorkerAt(this.options.workerUrl ?? workerModuleUrl('job-worker'), data as unknown as Record<string, unknown>);
    const slot: Slot = { lane, worker, flags: new Int32Array(flags), ready: false, job: null, lastSeen: Date.now() };
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
        record.info.progress = progressWithEta(record.info.startedAt, message.fraction, message.message, message.metrics);
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
    this.spawn(slot.lane);
    this.dispatch();
  }

  private checkForHangs(): void {
    this.expireResults();
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
      this.spawn(slot.lane);
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

  /** Uncollected results older than the retention time are dropped; the summary stays. */
  private expireResults(): void {
    const before = Date.now() - this.resultRetentionMs;
    for (const record of this.jobs.values()) if (record.outcome && record.info.finishedAt !== null && record.info.finishedAt < before) record.outcome = null;
  }

  /** An idle worker for a job of `lane`: its own lane first; a short job may borrow an idle long-lane worker. */
  private freeSlot(lane: JobLane): Slot | undefined {
    let borrowed: Slot | undefined;
    for (const slot of this.slots) {
      if (!slot.ready || slot.job) continue;
      if (slot.lane === lane) return slot;
      if (lane === 'short') borrowed ??= slot;
    }
    return borrowed;
  }

  private dispatch(): void {
    for (let i = 0; i < this.queue.length; ) {
      const record = this.queue[i];
      const slot = this.freeSlot(record.lane);
      if (!slot) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      slot.job = record;
      slot.lastSeen = Date.now();
      Atomics.store(slot.flags, FLAG_CANCEL, 0);
      record.info.state = 'running';
      record.info.startedAt = Date.now();
      record.info.progress = { fraction: 0, message: 'Started', etaMs: null, metrics: null };
      this.emit(record);
      this.post(slot, { type: 'job.start', jobId: record.info.id, kind: record.info.kind, input: record.input });
      // The worker has its own copy; a 20 MB upload is not kept twice for the job's whole run.
      record.input = undefined;
    }
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  private finish(record: JobRecord, state: 'succeeded' | 'failed' | 'cancelled', error: Error | null, result?: unknown): void {
    if (record.cancelTimer) clearTimeout(record.cancelTimer);
    record.cancelTimer = null;
    record.input = undefined;
    if (!settleJob(record, state, error, result)) return;
    this.emit(record);
    this.forgetOldJobs();
  }

  /** Keeps the summaries of the last `keepFinished` finished jobs. */
  private forgetOldJobs(): void {
    let finished = 0;
    for (const record of this.jobs.values()) if (isFinished(record.info.state)) finished++;
    for (const [id, record] of this.jobs) {
      if (finished <= this.keepFinished) break;
      if (!isFinished(record.info.state)) continue;
      this.jobs.delete(id);
      finished--;
    }
  }

  private emit(record: JobRecord): void {
    this.options.onUpdate?.({ ...record.info, progress: { ...record.info.progress } });
  }
}
