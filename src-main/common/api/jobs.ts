/** Long-running work, run in worker threads, as the window sees it. */
import type { SerializedError } from '../errors';

export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

export interface JobProgress {
  /** 0..1, or null while the job cannot tell. */
  fraction: number | null;
  message: string;
  /** Estimated milliseconds left, from the fraction done and the time spent; null when unknown. */
  etaMs: number | null;
  /** Numbers of the job's own kind (training loss, accuracy...), for live charts; null when none. */
  metrics: Record<string, number> | null;
}

export interface JobInfo {
  id: string;
  kind: string;
  /** What the job does, for lists and notifications: `Check model files of "Fleet A"`. */
  title: string;
  state: JobState;
  progress: JobProgress;
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: SerializedError | null;
}

export function isFinished(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

/** The kinds of job a queue worker may be given (`joule worker --kinds`): pruning, training, placement solves. */
export const queueKindWords = ['prune', 'train', 'schedule'] as const;
export type QueueKindWord = (typeof queueKindWords)[number];

/** A `joule worker` process registered with the job queue. */
export interface QueueWorkerInfo {
  id: string;
  host: string;
  pid: number;
  cores: number;
  memoryBytes: number;
  onnxruntimeVersion: string;
  /** The job kinds it takes. */
  kinds: string[];
  concurrency: number;
  /** Jobs it runs now. */
  busy: number;
  startedAt: number;
  /** Its last heartbeat, epoch milliseconds. */
  seenAt: number;
}

/** Where long jobs run: this computer's workers, or a BullMQ queue on Redis. */
export interface QueueStatus {
  mode: 'local' | 'queue';
  /** The queue's URL without its password; null when jobs run here. */
  url: string | null;
  /** Whether Redis answered; null when jobs run here. */
  reachable: boolean | null;
  /** Why not, in a sentence. */
  error: string | null;
  /** Kinds that go to the queue when one is set (the rest always run here). */
  kinds: string[];
  workers: QueueWorkerInfo[];
}

export interface JobsApi {
  /** Jobs of this session, newest first. */
  list(): Promise<JobInfo[]>;
  /** Asks a job to stop. Jobs stop at their next checkpoint; a queued job stops at once. */
  cancel(jobId: string): Promise<JobInfo>;
  /** Resolves with the job's result when it finishes; rejects with its error. */
  result(jobId: string): Promise<unknown>;
  /** Where long jobs run, and the queue workers alive. */
  queueStatus(): Promise<QueueStatus>;
  /**
   * Sends the long jobs that follow to the BullMQ queue at `url` (checked first: an unreachable
   * Redis is an error and nothing changes), or back to this computer with null. Kept across
   * sessions.
   */
  useQueue(url: string | null): Promise<QueueStatus>;
  /** Runs a job that could not reach the queue on this computer instead; returns the new job's id. */
  runHere(jobId: string): Promise<string>;
}
