/**
 * A job's error as BullMQ carries it: BullMQ keeps only a message (`failedReason`), so the error's
 * type travels in front of it (`JobCancelledError: ...`), readable in any BullMQ dashboard too.
 */
import { UnrecoverableError } from 'bullmq';
import { deserializeError, serializeError } from '../../common/errors';

const TYPED = /^([A-Z][A-Za-z]*Error): ([\s\S]*)$/;

/**
 * Errors a second attempt cannot change: a cancel, inputs that failed their hash, and verdicts on
 * the request itself (a bad field, a budget no pruning can meet). Anything else (a crashed or hung
 * worker, a file that cannot be read, a bug) is retried up to the job's attempts.
 */
const FINAL = new Set(['JobCancelledError', 'BlobHashError', 'InvalidRequestError', 'PruningError', 'ScheduleError']);

/** The error a BullMQ processor throws for `error`: final ones are not retried. */
export function toQueueFailure(error: unknown, rewrite: (text: string) => string = (t) => t): Error {
  const e = serializeError(error);
  const message = `${e.name === 'Error' ? 'JouleError' : e.name}: ${rewrite(e.message)}`;
  return FINAL.has(e.name) ? new UnrecoverableError(message) : new Error(message);
}

/** Errors that say the request itself is wrong: the same request fails the same way, so a resubmission reuses the verdict. */
const VERDICTS = new Set(['InvalidRequestError', 'PruningError', 'ScheduleError']);

export function isVerdict(reason: string | undefined): boolean {
  return VERDICTS.has(TYPED.exec(reason ?? '')?.[1] ?? '');
}

/** The typed error back from a `failedReason`. */
export function fromQueueFailure(reason: string | undefined): Error {
  const match = TYPED.exec(reason ?? '');
  if (!match) return deserializeError({ name: 'JobFailedError', message: reason || 'The job failed on a queue worker.' });
  return deserializeError({ name: match[1], message: match[2] });
}
