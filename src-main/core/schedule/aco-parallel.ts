/**
 * Several improved-ACO colonies in worker threads sharing their best assignment (an
 * island model: Middendorf, Reischle & Schmeck, "Multi colony ant algorithms", J. Heuristics
 * 8, 2002, found exchanging the best solution every few iterations the most robust policy).
 *
 * Colony c is seeded with deriveSeed(seed, c). Every `syncEvery` iterations all colonies post
 * their best and wait; the coordinator takes the global best (ties to the lowest colony) and
 * sends it back, and each colony adopts it if it is better than its own. Because exchanges
 * happen at fixed iteration counts, a run stopped by an iteration limit gives the same result
 * for the same seed and thread count; a time limit only moves the stopping point. Runs with a
 * time limit under SHORT_RUN_MS use one colony in the calling thread.
 *
 * @example
 * const result = await solveAcoParallel(cp, { threads: 2, timeLimitMs: 10_000, seed: 3 });
 */
import type { Worker } from 'node:worker_threads';
import { defaultAcoParams, solveAco, type AcoParams } from './aco';
import type { CompiledProblem } from './compiled';
import { ScheduleError } from './errors';
import { deriveSeed } from '../../common/random';
import { RunControl, resultOf } from './run-control';
import type { SolveOptions, SolveResult } from './scheduler';
import { startWorker } from '../workers/start';

export interface ColonyData {
  cp: CompiledProblem;
  seed: number;
  params: AcoParams;
  syncEvery: number;
  maxIterations: number;
  deadlineEpochMs: number;
  /** Int32 flag: non-zero asks the colony to stop at its next iteration. */
  stopFlag: SharedArrayBuffer;
}

export type ToColony = { type: 'adopt'; node: Int32Array; opt: Int32Array; f: number } | { type: 'stop' };

type FromColony =
  | { type: 'sync'; iteration: number; bestF: number; node: Int32Array | null; opt: Int32Array | null }
  | { type: 'error'; message: string };

/** Time limits below this run one colony in the calling thread. */
export const SHORT_RUN_MS = 1500;

/** Iterations between exchanges. */
export const DEFAULT_SYNC_EVERY = 3;

export async function solveAcoParallel(
  cp: CompiledProblem,
  options: SolveOptions = {},
  params: AcoParams = defaultAcoParams,
  syncEvery = DEFAULT_SYNC_EVERY,
): Promise<SolveResult> {
  const threads = Math.max(1, Math.floor(options.threads ?? 2));
  // Starting workers costs about 0.2 s from the sources: a run shorter than SHORT_RUN_MS (or a
  // single thread) gains nothing from them, so the colony runs in this thread instead.
  const short = options.timeLimitMs !== undefined && options.timeLimitMs < SHORT_RUN_MS && options.maxIterations === undefined;
  if (threads === 1 || short) return solveAco(cp, options, params);
  const control = new RunControl(cp, options);
  const stopFlag = new SharedArrayBuffer(4);
  const stop = new Int32Array(stopFlag);
  const remaining = control.deadline - performance.now();
  const deadlineEpochMs = Date.now() + (Number.isFinite(remaining) ? remaining : 1e12);
  const perColony = Number.isFinite(control.maxIterations) ? control.maxIterations : Number.MAX_SAFE_INTEGER;
  const workers: Worker[] = [];
  let bestNode: Int32Array | null = null;
  let bestOpt: Int32Array | null = null;
  let bestF = Infinity;
  const cancelPoll = setInterval(() => {
    if (options.shouldStop?.() || performance.now() >= control.deadline) Atomics.store(stop, 0, 1);
  }, 20);

  try {
    for (let c = 0; c < threads; c++) {
      const data: ColonyData = { cp, seed: deriveSeed(options.seed ?? 1, c), params, syncEvery, maxIterations: perColony, deadlineEpochMs, stopFlag };
      workers.push(await startWorker('aco-worker', data as unknown as Record<string, unknown>));
    }
    await new Promise<void>((resolve, reject) => {
      const pending = new Map<number, Extract<FromColony, { type: 'sync' }>>();
      let finished = false;
      const fail = (error: Error) => {
        if (finished) return;
        finished = true;
        reject(error);
      };
      const onRound = () => {
        let winner = -1;
        let iterations = 0;
        for (let c = 0; c < threads; c++) {
          const msg = pending.get(c)!;
          iterations += msg.iteration;
          if (msg.node && msg.bestF < (winner < 0 ? Infinity : pending.get(winner)!.bestF)) winner = c;
        }
        if (winner >= 0 && pending.get(winner)!.bestF < bestF) {
          const w = pending.get(winner)!;
          bestF = w.bestF;
          bestNode = w.node;
          bestOpt = w.opt;
          control.offer(bestF);
        }
        control.step();
        control.iteration = iterations;
        const allDone = [...pending.values()].every((msg) => msg.iteration >= perColony);
        const stopNow = allDone || Atomics.load(stop, 0) !== 0 || performance.now() >= control.deadline || (options.shouldStop?.() ?? false);
        pending.clear();
        for (const worker of workers) {
          if (stopNow) worker.postMessage({ type: 'stop' } satisfies ToColony);
          else if (bestNode && bestOpt) worker.postMessage({ type: 'adopt', node: bestNode, opt: bestOpt, f: bestF } satisfies ToColony);
          else worker.postMessage({ type: 'adopt', node: new Int32Array(0), opt: new Int32Array(0), f: Infinity } satisfies ToColony);
        }
        if (stopNow) {
          finished = true;
          resolve();
        }
      };
      workers.forEach((worker, c) => {
        worker.on('message', (msg: FromColony) => {
          switch (msg.type) {
            case 'sync':
              pending.set(c, msg);
              if (pending.size === threads) onRound();
              break;
            case 'error':
              fail(new ScheduleError(`ACO colony ${c} failed: ${msg.message}`));
              break;
            default: {
              const never: never = msg;
              fail(new ScheduleError(`ACO colony ${c} sent an unknown message ${JSON.stringify(never)}.`));
            }
          }
        });
        worker.on('error', (error) => fail(new ScheduleError(`ACO colony ${c} crashed: ${error.message}`)));
        worker.on('exit', (code) => {
          if (code !== 0) fail(new ScheduleError(`ACO colony ${c} exited with code ${code}.`));
        });
      });
    });
  } finally {
    clearInterval(cancelPoll);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (!bestNode || !bestOpt) {
    const { solveGreedy } = await import('./greedy');
    const g = solveGreedy(cp);
    return { ...resultOf(cp, 'aco', g.assignment, g.option, control), trace: control.trace };
  }
  return resultOf(cp, 'aco', bestNode, bestOpt, control);
}
