/**
 * The part of a job's life every executor shares: its summary, the promise its starter holds, and
 * its result handed out once. The local pool and the queue executor keep one of these per job.
 */
import { isFinished, type JobInfo } from '../common/api/jobs';

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

export interface JobRecordCore {
  info: JobInfo;
  settle: { resolve: (v: unknown) => void; reject: (e: Error) => void };
  /** Until the job finishes. */
  done: Promise<unknown> | null;
  /** After it finished, until the result is collected (or the executor drops it). */
  outcome: Outcome | null;
  collected: boolean;
}

/** A queued job's record: `id`, `kind`, `title`, and the first words of its progress. */
export function newJobRecord(id: string, kind: string, title: string, message: string): JobRecordCore {
  let settle!: JobRecordCore['settle'];
  const done = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
  // Unawaited results must not crash the process as unhandled rejections.
  done.catch(() => {});
  return {
    info: { id, kind, title, state: 'queued', progress: { fraction: null, message, etaMs: null, metrics: null }, createdAt: Date.now(), startedAt: null, finishedAt: null, error: null },
    settle,
    done,
    outcome: null,
    collected: false,
  };
}

/** The job's result or error, once; `gone` says why a result is not there any more. */
export function collectResult(record: JobRecordCore, gone: () => Error): Promise<unknown> {
  record.collected = true;
  if (record.done) return record.done;
  const outcome = record.outcome;
  record.outcome = null;
  if (!outcome) return Promise.reject(gone());
  return outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(outcome.error);
}

/** Ends the job (once): its summary, its starter's promise, and the outcome kept for a caller still to come. */
export function settleJob(record: JobRecordCore, state: 'succeeded' | 'failed' | 'cancelled', error: Error | null, value?: unknown): boolean {
  if (isFinished(record.info.state)) return false;
  record.info.state = state;
  record.info.finishedAt = Date.now();
  if (state === 'succeeded') record.info.progress = { ...record.info.progress, fraction: 1, message: 'Done', etaMs: 0 };
  if (error) {
    record.info.error = { name: error.name, message: error.message };
    record.info.progress = { ...record.info.progress, message: error.message, etaMs: null };
    record.settle.reject(error);
  } else {
    record.settle.resolve(value);
  }
  // Whoever already asked for the result holds the promise.
  record.done = null;
  record.outcome = record.collected ? null : error ? { ok: false, error } : { ok: true, value };
  return true;
}

/** Progress with an ETA from the fraction done and the time since the job started. */
export function progressWithEta(startedAt: number | null, fraction: number | null, message: string, metrics: Record<string, number> | null): JobInfo['progress'] {
  const elapsed = Date.now() - (startedAt ?? Date.now());
  const etaMs = fraction !== null && fraction > 0.01 && fraction < 1 ? Math.round((elapsed * (1 - fraction)) / fraction) : fraction === 1 ? 0 : null;
  return { fraction, message, etaMs, metrics };
}
