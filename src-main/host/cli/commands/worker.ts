/** `joule worker` and `joule workers`: run Joule's long jobs for a BullMQ queue on Redis, and list who does. */
import os from 'node:os';
import { queueKindWords } from '../../../common/api/jobs';
import { numberOption, requiredOption, stringOption, UsageError, type Command, type ParsedArgs } from '../command';
import { REDIS_OPTION, redisUrl } from '../queue-option';
import { textTable } from '../table';

const worker: Command = {
  words: ['worker'],
  summary: 'Run jobs from the job queue (Redis): prunes, training runs and placement solves submitted by Joule on any machine.',
  details: [
    'The worker takes jobs of the kinds it is given, runs them with this installation\'s job tasks in',
    'worker threads (as the window does), reports progress and obeys cancel, and sends the files a',
    'job writes back to the submitting machine by sha256. Inputs it lacks (models, device profiles,',
    'image folders) come from Redis and are cached under --cache, checked against their hash; a job',
    'writes nothing outside that folder. A worker killed mid-job loses its lock and another worker',
    'takes the job once the lock expires (--lock-s, default 30 s). Ctrl+C stops taking jobs and waits',
    'for the running ones; a second Ctrl+C leaves them to other workers.',
    'The URL may carry a password (redis://:secret@host:6379) and use TLS (rediss://; JOULE_REDIS_CA',
    'names a CA file for a private certificate).',
  ].join('\n'),
  positionals: [],
  options: {
    redis: REDIS_OPTION,
    concurrency: { type: 'string', placeholder: 'N', description: 'Jobs run at once (default 1; each may use several threads).' },
    kinds: { type: 'string', placeholder: 'K,K', description: 'Kinds of job to take: prune, train, schedule (default all).' },
    cache: { type: 'string', placeholder: 'DIR', description: "Folder for inputs and job files (default: Joule's data folder/worker-cache)." },
    'lock-s': { type: 'string', placeholder: 'S', description: 'Seconds a job stays locked to this worker without a renewal (default 30).' },
  },
  async run(args, context) {
    const url = redisUrl(args) ?? requiredOption(args, 'redis', 'URL (or set JOULE_REDIS_URL)');
    const concurrency = numberOption(args, 'concurrency', { min: 1, max: os.availableParallelism(), integer: true, why: 'the cores of this computer' }) ?? 1;
    const lockS = numberOption(args, 'lock-s', { min: 2, max: 3600 });
    const kinds = kindList(args);
    const [{ startWorker }, { dataDir }] = await Promise.all([import('../../../services/queue-worker-service'), import('../../paths')]);
    const running = await startWorker({
      resourcesDir: context.resourcesDir,
      dataDir: dataDir(),
      url,
      kinds,
      concurrency,
      cacheDir: stringOption(args, 'cache'),
      lockMs: lockS === undefined ? undefined : lockS * 1000,
      log: (event) => {
        if (args.json) return context.out(JSON.stringify({ ...event, at: Date.now() }));
        switch (event.event) {
          case 'ready':
            return context.err(`Worker ${event.worker.id} takes ${event.worker.kinds.join(', ')} (${event.worker.concurrency} at once) from the queue; Ctrl+C to stop.`);
          case 'took':
            return context.err(`Took ${event.title} (attempt ${event.attempt})`);
          case 'finished':
            return context.err(`Finished ${event.kind} in ${(event.ms / 1000).toFixed(1)} s`);
          case 'failed':
            return context.err(`Failed ${event.kind}: ${event.error}`);
          case 'gathered':
            return context.err(`Gathered a sweep of ${event.children} jobs`);
        }
      },
    });
    let signals = 0;
    await new Promise<void>((resolve) => {
      const stop = () => {
        signals++;
        if (signals === 1) {
          if (!args.json) context.err('Stopping: waiting for the running jobs (Ctrl+C again to leave them to other workers).');
          void running.close(false).then(resolve);
        } else void running.close(true).then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};

function kindList(args: ParsedArgs): string[] {
  const raw = stringOption(args, 'kinds');
  if (raw === undefined) return [];
  const words = raw.split(',').map((k) => k.trim()).filter(Boolean);
  for (const word of words) if (!(queueKindWords as readonly string[]).includes(word)) throw new UsageError(`--kinds expects ${queueKindWords.join(', ')}, got "${word}".`);
  return words;
}

const workers: Command = {
  words: ['workers'],
  summary: 'List the workers registered with the job queue: host, cores, memory, onnxruntime version, kinds and load.',
  positionals: [],
  options: { redis: REDIS_OPTION },
  async run(args, context) {
    const url = redisUrl(args) ?? requiredOption(args, 'redis', 'URL (or set JOULE_REDIS_URL)');
    const { listWorkers } = await import('../../../services/queue-worker-service');
    const list = await listWorkers(url);
    if (args.json) {
      context.out(JSON.stringify(list, null, 2));
      return 0;
    }
    if (list.length === 0) {
      context.out('No worker is registered with this queue. Start one with joule worker --redis URL.');
      return 0;
    }
    context.out(
      textTable(
        ['worker', 'cores', 'memory GB', 'onnxruntime', 'kinds', 'busy', 'last seen s'],
        list.map((w) => [w.id, w.cores, w.memoryBytes / 1e9, w.onnxruntimeVersion, w.kinds.join(' '), `${w.busy}/${w.concurrency}`, (Date.now() - w.seenAt) / 1000]),
      ),
    );
    return 0;
  },
};

export const workerCommands = [worker, workers];
