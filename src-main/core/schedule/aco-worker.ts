/**
 * One colony of the parallel improved ACO, in a worker thread. It runs one iteration, then
 * `syncEvery` iterations at a time; after each batch it posts its best and waits for the
 * coordinator's reply: the global best to adopt, or stop.
 * Messages are a discriminated union; any failure is posted as an error, never swallowed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AcoColony } from './aco';
import type { ColonyData, ToColony } from './aco-parallel';

const data = workerData as ColonyData;
const port = parentPort!;
const stop = new Int32Array(data.stopFlag);

function nextMessage(): Promise<ToColony> {
  return new Promise((resolve) => port.once('message', resolve));
}

async function main(): Promise<void> {
  const colony = new AcoColony(data.cp, data.seed, data.params);
  const deadline = performance.now() + (data.deadlineEpochMs - Date.now());
  for (;;) {
    // The first exchange comes after one iteration, so that a short run still shares a best.
    const round = colony.iteration === 0 ? 1 : data.syncEvery;
    for (let k = 0; k < round; k++) {
      if (colony.iteration >= data.maxIterations || performance.now() >= deadline || Atomics.load(stop, 0) !== 0) break;
      colony.step(deadline, () => Atomics.load(stop, 0) !== 0);
    }
    const has = colony.bestF < Infinity;
    port.postMessage({
      type: 'sync',
      iteration: colony.iteration,
      bestF: colony.bestF,
      node: has ? colony.best.node : null,
      opt: has ? colony.best.opt : null,
    });
    const reply = await nextMessage();
    switch (reply.type) {
      case 'adopt':
        colony.adopt(reply.node, reply.opt, reply.f);
        break;
      case 'stop':
        return;
      default: {
        const never: never = reply;
        throw new Error(`Unknown message ${JSON.stringify(never)} in the ACO worker.`);
      }
    }
  }
}

main().catch((error: unknown) => {
  port.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
});
