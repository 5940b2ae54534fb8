/**
 * Jobs submitted to BullMQ queues on Redis, for `joule worker` processes on any machine. The
 * submitting machine keeps a summary per job exactly like the local pool's (queued, running,
 * progress with ETA, a final state, the result handed out once), fed by BullMQ's job progress and
 * events; cancel raises a key the task checks between steps.
 *
 * A job's BullMQ id is the hash of its travelling request (files by content), so submitting the
 * same request again, alone or in a sweep, reuses the finished job instead of running it twice.
 * A sweep is a BullMQ flow: one child per job and a parent, in the gather queue, whose result is
 * the table of its children.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Job, type FlowJob, type JobsOptions, type Queue, type QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { isFinished, type JobInfo } from '../../common/api/jobs';
import { JobCancelledError, JobFailedError, NotFoundError, QueueUnavailableError } from '../../common/errors';
import { describeValue } from '../../common/validation';
import { sha256Hex } from '../../core/io/hash';
import type { JobCatalog } from '../context';
import type { JobExecutor, StartOptions, SweepJob } from '../executor';
import { collectResult, newJobRecord, progressWithEta, settleJob, type JobRecordCore } from '../job-record';
import { blobTtlS, INPUT_TTL_S, type BlobStore } from './blob-store';
import { BullConnections } from './bull-connections';
import { redactedUrl } from './connection';
import { fromQueueFailure, isVerdict } from './failure';
import { bullJobId, cancelKey, followersKey, GATHER_QUEUE, isQueueKind, queueName, type QueueKind } from './names';
import { landOutput, outputBlobs, packInput, type TravelledResult } from './travel';

export interface QueueExecutorOptions {
  url: string;
  onUpdate?: (job: JobInfo) => void;
  /** Attempts per job before its error is final (default 3; a stalled worker's job counts once). */
  attempts?: number;
  /** How long BullMQ keeps finished jobs for reuse by a resubmitted sweep (default: as long as their output files, a day). */
  keepFinishedS?: number;
  /** A Redis silent this long fails the jobs followed from it as unavailable (default 30 s). */
  silenceMs?: number;
}

/** What travels in a BullMQ job's data. */
export interface QueueJobData {
  kind: QueueKind;
  title: string;
  input: unknown;
  submittedBy: string;
}

/** The data of a sweep's parent: its children, in order. */
export interface GatherData {
  title: string;
  children: { queue: string; id: string }[];
}

interface QueueRecord extends JobRecordCore {
  kind: QueueKind;
  /** The request as given here: where its output lands, and what `runHere` restarts. */
  localInput: unknown;
  bullId: string | null;
  blobs: string[];
  cancelRequested: boolean;
}

const KEEP_SUMMARIES = 50;
/** Ids are unique across every queue executor of the process (the queue can be changed mid-session). */
let nextId = 1;
const RETRY_DELAY_MS = 2_000;
/** How often a followed job's state is read besides BullMQ's events. */
const POLL_MS = 3_000;
/** A Redis silent this long fails the jobs followed from it as unavailable. */
const QUEUE_SILENCE_MS = 30_000;
/** How often a followed job's inputs have their expiry pushed back. */
const RENEW_INPUTS_MS = 60_000;
/** A crashed submitter's follower entry lapses after this long. */
const FOLLOWERS_TTL_S = 24 * 3600;

export class QueueExecutor<C extends JobCatalog> implements JobExecutor<C> {
  private readonly records = new Map<string, QueueRecord>();
  /** Local records by BullMQ id: one request submitted twice is one BullMQ job. */
  private readonly byBullId = new Map<string, Set<QueueRecord>>();
  private readonly bull: BullConnections;
  /** Names this executor among the followers of a job. */
  private readonly instance = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private closed = false;

  constructor(private readonly options: QueueExecutorOptions) {
    this.bull = new BullConnections(options.url, (events) => this.listen(events));
  }

  get url(): string {
    return this.options.url;
  }

  start<K extends keyof C & string>(kind: K, input: C[K]['input'], options: StartOptions = {}): { id: string; done: Promise<C[K]['output']> } {
    const record = this.createRecord(kind, input, options.title ?? kind);
    void this.submit([record], null);
    return { id: record.info.id, done: record.done as Promise<C[K]['output']> };
  }

  startSweep(title: string, jobs: SweepJob<C>[]): string[] {
    const records = jobs.map((job) => this.createRecord(job.kind, job.input, job.title));
    void this.submit(records, title);
    return records.map((r) => r.info.id);
  }

  list(): JobInfo[] {
    return [...this.records.values()].map((r) => ({ ...r.info })).reverse();
  }

  get(jobId: string): JobInfo {
    return { ...this.record(jobId).info };
  }

  result(jobId: string): Promise<unknown> {
    const record = this.record(jobId);
    return collectResult(record, () => new NotFoundError(`The result of ${record.info.title} (${jobId}) was already handed out.`));
  }

  cancel(jobId: string): JobInfo {
    const record = this.record(jobId);
    if (isFinished(record.info.state)) return { ...record.info };
    record.cancelRequested = true;
    record.info.progress = { ...record.info.progress, message: 'Stopping at the next checkpoint', etaMs: null };
    this.emit(record);
    if (record.bullId) void this.cancelInQueue(record, record.bullId);
    return { ...record.info };
  }

  /** Whether any job of this executor is still queued or running. */
  hasLive(): boolean {
    return [...this.records.values()].some((r) => !isFinished(r.info.state));
  }

  /** The request of a job that failed because the queue could not be reached, for a local run. */
  takeUnsent(jobId: string): { kind: string; input: unknown; title: string } | null {
    const record = this.record(jobId);
    if (record.info.state !== 'failed' || record.info.error?.name !== 'QueueUnavailableError') return null;
    return { kind: record.kind, input: record.localInput, title: record.info.title };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const record of this.records.values()) if (!isFinished(record.info.state)) this.finish(record, 'cancelled', new JobCancelledError('Joule stopped following the job queue; the job may still run on a worker.'));
    await this.bull.close();
  }

  // ---- submitting ------------------------------------------------------------------------------

  private createRecord(kind: string, input: unknown, title: string): QueueRecord {
    if (!isQueueKind(kind)) throw new JobFailedError(`Jobs of kind ${kind} run on this computer, not on the job queue.`);
    const id = `queue-${nextId++}`;
    const record: QueueRecord = {
      ...newJobRecord(id, kind, title, `Sending to the job queue at ${redactedUrl(this.options.url)}`),
      kind,
      localInput: input,
      bullId: null,
      blobs: [],
      cancelRequested: false,
    };
    this.records.set(id, record);
    this.emit(record);
    return record;
  }

  /** Packs the requests, adds them (a flow for a sweep) and follows each to its end. */
  private async submit(records: QueueRecord[], sweepTitle: string | null): Promise<void> {
    try {
      await this.bull.ensureReachable();
      const children: FlowJob[] = [];
      for (const record of records) {
        const { packed, blobs } = await packInput(record.kind, record.localInput, this.store());
        record.blobs = blobs;
        record.bullId = bullJobId(record.kind, packed);
        const data: QueueJobData = { kind: record.kind, title: record.info.title, input: packed, submittedBy: os.hostname() };
        children.push({ name: record.kind, queueName: queueName(record.kind), data, opts: this.jobOptions(record.bullId) });
      }
      const redis = this.connection();
      // A cancel left from an earlier submission of the same request must not stop this one.
      await redis.del(...records.map((r) => cancelKey(r.bullId!)));
      if (sweepTitle === null) {
        const child = children[0];
        if (!(await this.reusable(child))) await this.queue(child.queueName).add(child.name, child.data, child.opts);
      } else {
        await this.addSweep(sweepTitle, children);
      }
      await Promise.all(records.map((record) => this.follow(record)));
    } catch (error) {
      for (const record of records) if (!isFinished(record.info.state)) this.finish(record, 'failed', asQueueError(error, this.options.url));
    }
  }

  /**
   * A flow with the children BullMQ does not hold yet; children it holds (finished by an earlier
   * sweep, or running for another) are reused, and the parent gathers every child by id.
   */
  private async addSweep(title: string, children: FlowJob[]): Promise<void> {
    const parentId = `sweep-${sha256Hex(children.map((c) => c.opts!.jobId).join('\n'))}`;
    const fresh: FlowJob[] = [];
    for (const child of children) if (!(await this.reusable(child))) fresh.push(child);
    const gather: GatherData = { title, children: children.map((c) => ({ queue: c.queueName, id: c.opts!.jobId! })) };
    if (await Job.fromId(this.queue(GATHER_QUEUE), parentId)) {
      for (const child of fresh) await this.queue(child.queueName).add(child.name, child.data, child.opts);
      return;
    }
    const keep = this.keepOptions();
    await this.bull.flowProducer().add({
      name: 'gather',
      queueName: GATHER_QUEUE,
      data: gather,
      opts: { jobId: parentId, ...keep },
      children: fresh.map((c) => ({ ...c, opts: { ...c.opts, ignoreDependencyOnFailure: true } })),
    });
  }

  /**
   * Whether BullMQ already holds this job, to be followed rather than added: finished, running, or
   * waiting. A job that failed is run again (its attempts start afresh) unless its failure was a
   * verdict on the request itself, which the same request would only repeat.
   */
  private async reusable(child: FlowJob): Promise<boolean> {
    const existing = await Job.fromId(this.queue(child.queueName), child.opts!.jobId!);
    if (!existing) return false;
    const state = await existing.getState();
    if (state === 'failed' && !isVerdict(existing.failedReason)) await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    // A finished job whose output files have expired from Redis is run again, not reused.
    if (state === 'completed' && !(await this.store().has(outputBlobs(existing.returnvalue as TravelledResult)))) {
      await existing.remove();
      return false;
    }
    return true;
  }

  /** Follows a job from the queue to its end: state, progress, then its result landed here. */
  private async follow(record: QueueRecord): Promise<void> {
    const bullId = record.bullId!;
    const kind = record.kind;
    const users = this.byBullId.get(bullId) ?? new Set();
    users.add(record);
    this.byBullId.set(bullId, users);
    try {
      await this.connection().multi().sadd(followersKey(bullId), this.followerId(record)).expire(followersKey(bullId), FOLLOWERS_TTL_S).exec();
      const events = await withTimeout(this.bull.queueEvents(queueName(kind)), this.silenceMs(), () => this.silentError(record, 'waiting'));
      const job = await Job.fromId(this.queue(queueName(kind)), bullId);
      if (!job) throw new JobFailedError(`The job queue lost ${record.info.title} before it ran (it was removed from Redis).`);
      if (record.cancelRequested) await this.cancelInQueue(record, bullId);
      const state = await job.getState();
      if (state === 'active') this.markRunning(record, null);
      else if (state === 'waiting' || state === 'prioritized' || state === 'delayed') this.update(record, { message: 'Waiting for a queue worker' });
      const travelled = (await this.untilFinished(record, job, events)) as TravelledResult;
      if (isFinished(record.info.state)) return;
      this.update(record, { message: 'Fetching the results from the job queue' });
      const value = await landOutput(kind, travelled, record.localInput, this.store());
      this.finish(record, 'succeeded', null, value);
    } catch (error) {
      if (isFinished(record.info.state)) return;
      // BullMQ hands a worker's failure back as a plain Error of its `failedReason`.
      const failure = error instanceof Error && error.constructor === Error ? fromQueueFailure(error.message) : asQueueError(error, this.options.url);
      const cancelled = record.cancelRequested || failure.name === 'JobCancelledError';
      this.finish(record, cancelled ? 'cancelled' : 'failed', cancelled ? new JobCancelledError(`${record.info.title} was cancelled.`) : failure);
    } finally {
      users.delete(record);
      if (users.size === 0) this.byBullId.delete(bullId);
      record.blobs = [];
      await this.connection().srem(followersKey(bullId), this.followerId(record)).catch(() => {});
    }
  }

  /**
   * The job's return value, or its failure as an Error of its `failedReason`: from BullMQ's events,
   * and from a poll of its state every few seconds in case an event was missed. A Redis that stops
   * answering for `silenceMs` fails the job here as unavailable (it may still finish on its
   * worker; running it here instead is the planner's choice).
   */
  private untilFinished(record: QueueRecord, job: Job, events: QueueEvents): Promise<unknown> {
    const jobId = job.id!;
    let timer: NodeJS.Timeout | null = null;
    let onCompleted: (args: { returnvalue: unknown }) => void = () => {};
    let onFailed: (args: { failedReason: string }) => void = () => {};
    const ended = new Promise<unknown>((resolve, reject) => {
      onCompleted = ({ returnvalue }) => resolve(typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue);
      onFailed = ({ failedReason }) => reject(new Error(failedReason));
      events.on(`completed:${jobId}` as 'completed', onCompleted as never);
      events.on(`failed:${jobId}` as 'failed', onFailed as never);
      let silentSince: number | null = null;
      let renewedAt = Date.now();
      const poll = async () => {
        if (isFinished(record.info.state)) return resolve(undefined);
        try {
          const fresh = await Job.fromId(this.queue(queueName(record.kind)), jobId);
          silentSince = null;
          if (!fresh) return reject(new JobFailedError(`The job queue lost ${record.info.title} (it was removed from Redis).`));
          const state = await fresh.getState();
          if (state === 'completed') return resolve(fresh.returnvalue);
          if (state === 'failed') return reject(new Error(fresh.failedReason));
          // Inputs stay in Redis while someone follows the job that needs them.
          if (Date.now() - renewedAt > RENEW_INPUTS_MS) {
            await this.store().renew(record.blobs, INPUT_TTL_S);
            renewedAt = Date.now();
          }
        } catch (error) {
          silentSince ??= Date.now();
          if (Date.now() - silentSince >= this.silenceMs()) return reject(this.silentError(record, record.info.state === 'running' ? 'running on a worker' : 'waiting', error as Error));
        }
        timer = setTimeout(() => void poll(), POLL_MS);
      };
      // At once: the job may have finished before the listeners were attached.
      void poll();
    });
    return ended.finally(() => {
      if (timer) clearTimeout(timer);
      events.off(`completed:${jobId}` as 'completed', onCompleted as never);
      events.off(`failed:${jobId}` as 'failed', onFailed as never);
    });
  }

  /** This record as a follower of its BullMQ job, unique across processes and machines. */
  private followerId(record: QueueRecord): string {
    return `${this.instance}:${record.info.id}`;
  }

  private silenceMs(): number {
    return this.options.silenceMs ?? QUEUE_SILENCE_MS;
  }

  private silentError(record: QueueRecord, doing: string, cause?: Error): QueueUnavailableError {
    return new QueueUnavailableError(`The job queue at ${redactedUrl(this.options.url)} stopped answering while ${record.info.title} was ${doing}${cause ? ` (${cause.message})` : ''}; it may still finish there, or it can run on this computer instead.`);
  }

  private async cancelInQueue(record: QueueRecord, bullId: string): Promise<void> {
    try {
      // Another submitter (a second window, a sweep reusing this option) still wants the result:
      // only this one stops following.
      const redis = this.connection();
      await redis.srem(followersKey(bullId), this.followerId(record));
      if ((await redis.scard(followersKey(bullId))) > 0) {
        this.finish(record, 'cancelled', new JobCancelledError(`${record.info.title} was cancelled here; the job goes on for another submitter following it.`));
        return;
      }
      await redis.set(cancelKey(bullId), '1', 'EX', 24 * 3600);
      const job = await Job.fromId(this.queue(queueName(record.kind)), bullId);
      const state = await job?.getState();
      // A job no worker has taken yet goes at once; a running one stops at its next checkpoint.
      if (job && (state === 'waiting' || state === 'prioritized' || state === 'delayed' || state === 'waiting-children')) {
        await job.remove().catch(() => {});
        this.finish(record, 'cancelled', new JobCancelledError(`${record.info.title} was cancelled before a worker took it.`));
      }
    } catch (error) {
      this.update(record, { message: `Could not ask the queue to stop the job: ${(error as Error).message}` });
    }
  }

  // ---- BullMQ plumbing -------------------------------------------------------------------------

  private connection(): Redis {
    return this.bull.connection();
  }

  private store(): BlobStore {
    return this.bull.store();
  }

  private queue(name: string): Queue {
    return this.bull.queue(name);
  }

  /** The executor's handlers on a queue's event listener: state and progress of the jobs it follows. */
  private listen(events: QueueEvents): void {
    events.on('active', ({ jobId }) => this.forBullJob(jobId, (r) => this.markRunning(r, null)));
    events.on('progress', ({ jobId, data }) => this.forBullJob(jobId, (r) => this.onProgress(r, data)));
    // A busy worker hands a job it cannot start back to the queue for a free one.
    events.on('delayed', ({ jobId }) => this.forBullJob(jobId, (r) => this.update(r, { message: 'Waiting for a free queue worker' })));
    events.on('stalled', ({ jobId }) => this.forBullJob(jobId, (r) => this.update(r, { message: 'Its worker stopped answering; the job went back to the queue for another worker' })));
  }

  private jobOptions(jobId: string): JobsOptions {
    return { jobId, attempts: this.options.attempts ?? 3, backoff: { type: 'exponential', delay: RETRY_DELAY_MS }, ...this.keepOptions() };
  }

  private keepOptions(): Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> {
    // Finished jobs are kept as long as their output files, so a resubmission can reuse them.
    const age = this.options.keepFinishedS ?? blobTtlS();
    return { removeOnComplete: { age }, removeOnFail: { age } };
  }

  // ---- summaries -------------------------------------------------------------------------------

  private forBullJob(bullId: string, fn: (record: QueueRecord) => void): void {
    for (const record of this.byBullId.get(bullId) ?? []) if (!isFinished(record.info.state) && !record.cancelRequested) fn(record);
  }

  private markRunning(record: QueueRecord, message: string | null): void {
    if (record.info.state === 'queued') {
      record.info.state = 'running';
      record.info.startedAt = Date.now();
    }
    this.update(record, { message: message ?? 'Running on a queue worker' });
  }

  private onProgress(record: QueueRecord, data: unknown): void {
    const p = data as { fraction?: number | null; message?: string; metrics?: Record<string, number> | null; worker?: string };
    if (record.info.state === 'queued') this.markRunning(record, null);
    const fraction = typeof p?.fraction === 'number' ? p.fraction : null;
    const where = typeof p?.worker === 'string' ? ` (on ${p.worker})` : '';
    record.info.progress = progressWithEta(record.info.startedAt, fraction, `${typeof p?.message === 'string' ? p.message : 'Running'}${where}`, p?.metrics ?? null);
    this.emit(record);
  }

  private update(record: QueueRecord, change: { message: string }): void {
    if (isFinished(record.info.state)) return;
    record.info.progress = { ...record.info.progress, message: change.message, etaMs: null };
    this.emit(record);
  }

  private record(jobId: string): QueueRecord {
    const record = this.records.get(jobId);
    if (!record) throw new NotFoundError(`There is no job ${describeValue(jobId)} in this session.`);
    return record;
  }

  private finish(record: QueueRecord, state: 'succeeded' | 'failed' | 'cancelled', error: Error | null, value?: unknown): void {
    if (!settleJob(record, state, error, value)) return;
    // Kept only for `runHere`, which needs it after a failure to reach the queue.
    if (record.info.error?.name !== 'QueueUnavailableError') record.localInput = undefined;
    this.emit(record);
    this.forgetOld();
  }

  /** Keeps the summaries of the last finished jobs; a result nobody has collected yet is never forgotten (a sweep may hold hundreds). */
  private forgetOld(): void {
    const finished = [...this.records.values()].filter((r) => isFinished(r.info.state) && r.outcome === null);
    for (const record of finished.slice(0, Math.max(0, finished.length - KEEP_SUMMARIES))) this.records.delete(record.info.id);
  }

  private emit(record: QueueRecord): void {
    this.options.onUpdate?.({ ...record.info, progress: { ...record.info.progress } });
  }
}

/** A Redis that stops answering mid-way is the queue being unavailable too, said with its address. */
function asQueueError(error: unknown, url: string): Error {
  if (error instanceof Error && /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|Connection is closed|MaxRetriesPerRequest/i.test(error.message) && error.name !== 'QueueUnavailableError') {
    return new QueueUnavailableError(`The job queue at ${redactedUrl(url)} stopped answering (${error.message}); the jobs can run on this computer instead.`);
  }
  return error instanceof Error ? error : new JobFailedError(String(error));
}

/** The promise, or `error()` when it has not settled within `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | null = null;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)));
  return Promise.race([promise, timeout]).finally(() => {
    if (timer) clearTimeout(timer);
  });
}
