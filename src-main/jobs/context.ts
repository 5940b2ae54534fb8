/** What a job handler gets besides its input. */
import type { Progress } from '../core/progress';
import type { JobEnvironment } from './environment';

export interface JobContext extends Progress {
  /** The folders of this installation (resources, per-user data, dataset caches). */
  readonly env: JobEnvironment;
  /**
   * Runs native code (an onnxruntime run, a HiGHS solve) that blocks the worker's thread. The pool
   * then knows a silent worker is busy, not hung, and never terminates it mid-run: terminating a
   * worker inside onnxruntime aborts the whole process.
   */
  native<T>(fn: () => T | Promise<T>): Promise<T>;
  /** True once someone asked the job to stop. */
  readonly cancelled: boolean;
}

export type JobHandler<I = unknown, O = unknown> = (input: I, context: JobContext) => Promise<O>;

/** A family of job kinds: each kind's input and output types. */
export type JobCatalog = Record<string, { input: unknown; output: unknown }>;

export type JobHandlers<C extends JobCatalog> = { [K in keyof C]: JobHandler<C[K]['input'], C[K]['output']> };

/** The context of a part of a job: the same folders, cancel and native guard, with progress reported as [from, to] of the whole. */
export function partOfJob(context: JobContext, from: number, to: number): JobContext {
  return {
    env: context.env,
    native: (fn) => context.native(fn),
    get cancelled() {
      return context.cancelled;
    },
    report: (fraction, message, metrics) => context.report(fraction === null ? null : from + (to - from) * fraction, message, metrics),
    checkpoint: () => context.checkpoint(),
  };
}
