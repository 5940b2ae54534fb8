/**
 * `solveMipInWorker`: the MIP without blocking the caller's thread, and the MIP behind the
 * Scheduler interface.
 *
 * @example
 * const r = await solveMipInWorker(cp, { timeLimitS: 120, shouldStop: () => job.cancelled });
 * console.log(r.objective, r.bound, r.gap, r.optimal);
 */
import type { CompiledProblem } from './compiled';
import { JobCancelledError } from '../../common/errors';
import { ScheduleError } from './errors';
import type { MipOptions } from './mip';
import type { Scheduler, SolveResult } from './scheduler';
import { startWorker } from '../workers/start';

export interface MipWorkerData {
  cp: CompiledProblem;
  timeLimitS?: number;
  relGap?: number;
  start?: { node: Int32Array; opt: Int32Array };
  stopFlag: SharedArrayBuffer;
}

type FromMipWorker = { type: 'result'; result: SolveResult } | { type: 'error'; name: string; message: string };

/**
 * How long HiGHS gets to notice a stop request in its own callback before its worker is
 * terminated: presolve and the root LP call no callback, and a large fleet stays there for
 * minutes. Terminating is safe here: the worker runs only WebAssembly and writes nothing.
 */
const STOP_GRACE_MS = 1_000;

export async function solveMipInWorker(cp: CompiledProblem, options: MipOptions = {}): Promise<SolveResult> {
  const stopFlag = new SharedArrayBuffer(4);
  const stop = new Int32Array(stopFlag);
  const data: MipWorkerData = { cp, timeLimitS: options.timeLimitS, relGap: options.relGap, start: options.start, stopFlag };
  const worker = await startWorker('mip-worker', data as unknown as Record<string, unknown>);
  return new Promise<SolveResult>((resolve, reject) => {
    let settled = false;
    let stopTimer: ReturnType<typeof setTimeout> | null = null;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (poll) clearInterval(poll);
      if (stopTimer) clearTimeout(stopTimer);
      fn();
      void worker.terminate();
    };
    const poll = options.shouldStop
      ? setInterval(() => {
          if (stopTimer || !options.shouldStop!()) return;
          Atomics.store(stop, 0, 1);
          stopTimer = setTimeout(() => settle(() => reject(new JobCancelledError('The MIP was stopped before HiGHS answered.'))), STOP_GRACE_MS);
        }, 50)
      : null;
    worker.on('message', (msg: FromMipWorker) => {
      switch (msg.type) {
        case 'result':
          settle(() => resolve(msg.result));
          break;
        case 'error':
          settle(() => reject(new ScheduleError(`HiGHS failed: ${msg.message}`)));
          break;
        default: {
          const never: never = msg;
          settle(() => reject(new ScheduleError(`The MIP worker sent an unknown message ${JSON.stringify(never)}.`)));
        }
      }
    });
    worker.on('error', (error) => settle(() => reject(new ScheduleError(`The MIP worker crashed: ${error.message}`))));
    worker.on('exit', (code) => settle(() => reject(new ScheduleError(`The MIP worker exited with code ${code} before answering.`))));
  });
}

/** The MIP behind the common interface: timeLimitMs becomes HiGHS's time limit (default 60 s). */
export const mipScheduler: Scheduler = {
  algorithm: 'mip',
  solve: (cp, options = {}) =>
    solveMipInWorker(cp, { timeLimitS: options.timeLimitMs !== undefined ? options.timeLimitMs / 1000 : 60, shouldStop: options.shouldStop }),
};
