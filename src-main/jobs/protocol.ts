/**
 * Messages between the job pool (main thread) and its workers, plus the shared flags both sides
 * read without waiting for the event loop.
 */
import type { SerializedError } from '../common/errors';
import type { JobEnvironment } from './environment';

export type ToWorker =
  | { type: 'job.start'; jobId: string; kind: string; input: unknown }
  /** Sent after the shared cancel flag is raised, for handlers that await between steps. */
  | { type: 'job.cancel'; jobId: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'heartbeat' }
  | { type: 'job.progress'; jobId: string; fraction: number | null; message: string; metrics: Record<string, number> | null }
  | { type: 'job.result'; jobId: string; result: unknown }
  | { type: 'job.error'; jobId: string; error: SerializedError };

/** Int32 slots of the SharedArrayBuffer each worker gets in `workerData.flags`. */
export const FLAG_CANCEL = 0;
/** Non-zero while the worker is inside native code (an ORT run, a HiGHS solve). */
export const FLAG_IN_NATIVE = 1;
export const FLAG_COUNT = 2;

export interface WorkerData {
  flags: SharedArrayBuffer;
  /** Handed to every job's context (absent in the pool's own tests). */
  env?: JobEnvironment;
}
