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

export interface JobsApi {
  /** Jobs of this session, newest first. */
  list(): Promise<JobInfo[]>;
  /** Asks a job to stop. Jobs stop at their next checkpoint; a queued job stops at once. */
  cancel(jobId: string): Promise<JobInfo>;
  /** Resolves with the job's result when it finishes; rejects with its error. */
  result(jobId: string): Promise<unknown>;
}
