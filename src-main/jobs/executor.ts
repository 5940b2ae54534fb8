/**
 * What the services start jobs on: the local worker pool (the default), or a BullMQ queue whose
 * workers may run on other machines. Both give a job the same life: an id at once, a summary
 * that moves through queued, running and a final state with progress and ETA, a result handed
 * out once, and cooperative cancel.
 */
import type { JobInfo } from '../common/api/jobs';
import type { JobCatalog } from './context';

export interface StartOptions {
  title?: string;
}

/** One job of a sweep: its kind, input and title. */
export interface SweepJob<C extends JobCatalog> {
  kind: keyof C & string;
  input: C[keyof C]['input'];
  title: string;
}

export interface JobExecutor<C extends JobCatalog> {
  /** Queues a job; the promise settles with its result or a typed error. */
  start<K extends keyof C & string>(kind: K, input: C[K]['input'], options?: StartOptions): { id: string; done: Promise<C[K]['output']> };
  /**
   * Starts the jobs of a sweep together (a BullMQ flow on the queue: one child per job and a
   * parent that gathers them); returns their ids in order.
   */
  startSweep(title: string, jobs: SweepJob<C>[]): string[];
  list(): JobInfo[];
  get(jobId: string): JobInfo;
  /** The job's result or error, once. */
  result(jobId: string): Promise<unknown>;
  cancel(jobId: string): JobInfo;
  close(): Promise<void>;
}
