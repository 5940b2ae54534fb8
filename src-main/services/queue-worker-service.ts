/**
 * What `joule worker` starts: a queue worker with this installation's folders, taking the kinds a
 * planner names (prune, train, schedule). Its cache of inputs and job folders lives in the
 * per-user data folder unless told otherwise; nothing a job brings is written anywhere else.
 */
import path from 'node:path';
import { InvalidRequestError } from '../common/errors';
import { defaultDatasetCacheDir } from '../core/train/data/cache';
import type { JobEnvironment } from '../jobs/environment';
import { checkRedisUrl } from '../jobs/queue/connection';
import { kindGroups, type QueueKind } from '../jobs/queue/names';
import { startQueueWorker, type RunningQueueWorker, type WorkerEvent } from '../jobs/queue/queue-worker';

export type { RunningQueueWorker, WorkerEvent };

/** The words `--kinds` accepts. */
export const workerKindWords = Object.keys(kindGroups);

export interface WorkerServiceOptions {
  resourcesDir: string;
  dataDir: string;
  url: string;
  /** Words of `workerKindWords`; all of them when empty. */
  kinds: string[];
  concurrency: number;
  cacheDir?: string;
  lockMs?: number;
  log?: (event: WorkerEvent) => void;
}

export function startWorker(options: WorkerServiceOptions): Promise<RunningQueueWorker> {
  const url = checkRedisUrl(options.url, 'redis');
  const words = options.kinds.length ? options.kinds : workerKindWords;
  const kinds = new Set<QueueKind>();
  for (const word of words) {
    const group = kindGroups[word];
    if (!group) throw new InvalidRequestError(`kinds: expected ${workerKindWords.join(', ')}, got ${JSON.stringify(word)}.`);
    for (const kind of group) kinds.add(kind);
  }
  const env: JobEnvironment = { resourcesDir: options.resourcesDir, dataDir: options.dataDir, datasetCacheDir: defaultDatasetCacheDir() };
  return startQueueWorker({
    url,
    kinds: [...kinds],
    concurrency: options.concurrency,
    cacheDir: path.resolve(options.cacheDir ?? path.join(options.dataDir, 'worker-cache')),
    env,
    lockMs: options.lockMs,
    log: options.log,
  });
}

/** The workers registered with the queue at `url`. */
export async function listWorkers(url: string) {
  const { openConnection, checkReachable } = await import('../jobs/queue/connection');
  const { liveWorkers } = await import('../jobs/queue/registry');
  const checked = checkRedisUrl(url, 'redis');
  await checkReachable(checked);
  const redis = openConnection(checked, 'producer');
  try {
    return await liveWorkers(redis);
  } finally {
    redis.disconnect();
  }
}
