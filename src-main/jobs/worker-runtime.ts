/**
 * The worker side of the job pool: runs one job at a time with the handler registered for its
 * kind, streams progress, answers every job with a result or an error (never silence), and
 * sends a heartbeat so the pool can tell a busy worker from a hung one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { JobCancelledError, JouleError, serializeError } from '../common/errors';
import type { JobContext, JobHandler } from './context';
import type { JobEnvironment } from './environment';
import { FLAG_CANCEL, FLAG_IN_NATIVE, type FromWorker, type ToWorker, type WorkerData } from './protocol';

const HEARTBEAT_MS = 500;
const PROGRESS_INTERVAL_MS = 100;

export function runWorker(handlers: Record<string, JobHandler<never, unknown>>): void {
  const port = parentPort;
  if (!port) throw new Error('runWorker must be called inside a worker thread.');
  const data = workerData as WorkerData;
  const flags = new Int32Array(data.flags);
  const env = data.env as JobEnvironment;
  const send = (message: FromWorker) => port.postMessage(message);

  setInterval(() => send({ type: 'heartbeat' }), HEARTBEAT_MS);
  /** The job running now: a cancel meant for an earlier job must not stop it. */
  let current: string | null = null;

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'job.start':
        current = message.jobId;
        // The pool cleared the flag before it posted this job; a cancel of the job before, still
        // in the channel, may have raised it again since.
        Atomics.store(flags, FLAG_CANCEL, 0);
        void runJob(message.jobId, message.kind, message.input);
        break;
      case 'job.cancel':
        if (message.jobId === current) Atomics.store(flags, FLAG_CANCEL, 1);
        break;
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message to worker: ${JSON.stringify(unknown)}`);
      }
    }
  });

  async function runJob(jobId: string, kind: string, input: unknown): Promise<void> {
    const handler = handlers[kind];
    if (!handler) {
      send({ type: 'job.error', jobId, error: serializeError(new JouleError(`Unknown job kind "${kind}".`)) });
      return;
    }
    // Throttled to one message per interval; the latest report is always delivered (trailing edge).
    let lastProgressAt = 0;
    let pending: FromWorker | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      if (pending) send(pending);
      pending = null;
      lastProgressAt = Date.now();
    };
    const context: JobContext = {
      env,
      get cancelled() {
        return Atomics.load(flags, FLAG_CANCEL) !== 0;
      },
      checkpoint() {
        if (this.cancelled) throw new JobCancelledError('The job was cancelled.');
      },
      report(fraction, text, metrics) {
        pending = { type: 'job.progress', jobId, fraction, message: text, metrics: metrics ?? null };
        const wait = PROGRESS_INTERVAL_MS - (Date.now() - lastProgressAt);
        if (wait <= 0 || fraction === 1) flush();
        else timer ??= setTimeout(flush, wait);
      },
      async native(fn) {
        Atomics.store(flags, FLAG_IN_NATIVE, 1);
        try {
          return await fn();
        } finally {
          Atomics.store(flags, FLAG_IN_NATIVE, 0);
        }
      },
    };
    try {
      const result = await handler(input as never, context);
      if (timer) clearTimeout(timer);
      send({ type: 'job.result', jobId, result });
    } catch (error) {
      if (timer) clearTimeout(timer);
      send({ type: 'job.error', jobId, error: serializeError(error) });
    }
  }

  send({ type: 'ready' });
}
