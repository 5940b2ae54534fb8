/**
 * HiGHS in a worker thread: solves one MIP and posts the result (or the error). Cancellation is
 * cooperative through a shared flag polled from HiGHS's MIP callback, because terminating a
 * worker in native code is not safe (DESIGN.md, "Facts measured on these machines").
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MipWorkerData } from './mip-run';
import { solveMip } from './mip';

const data = workerData as MipWorkerData;
const stop = new Int32Array(data.stopFlag);

solveMip(data.cp, { timeLimitS: data.timeLimitS, relGap: data.relGap, start: data.start, shouldStop: () => Atomics.load(stop, 0) !== 0 })
  .then((result) => parentPort!.postMessage({ type: 'result', result }))
  .catch((error: unknown) => parentPort!.postMessage({ type: 'error', name: (error as Error).name, message: (error as Error).message ?? String(error) }));
