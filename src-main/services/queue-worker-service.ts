/**
 * What `joule worker` starts: a queue worker with this installation's folders, taking the kinds a
 * planner names (prune, train, schedule). Its cache of inputs and job folders lives in the
 * per-user data folder unless told otherwise; nothing a job brings is written anywhere else.
 */
import path from 'node:path';
import { queueKindWords, type QueueKindWord, type QueueWorkerInfo } from '../common/api/jobs';
import { InvalidRequestError } from '../common/errors';
import { defaultDatasetCacheDir } from '../core/train/data/cache';
import type { JobEnvironment } from '../jobs/environment';
import { checkRedisUrl } from '../jobs/queue/connection';
import { kindGroups, type QueueKind } from '../jobs/queue/names';
import { startQueueWorker, type RunningQueueWorker, type WorkerEvent } from '../jobs/queue/queue-worker';
import { workersAt } from '../jobs/queue/registry';

export type { RunningQueueWorker, WorkerEvent };


export interface WorkerServiceOptions {
  resourcesDir: string;
  dataDir: string;
  url: string;
  /** Words of `queueKindWords`; all of them when empty. */
  kinds: string[];
  concurrency: number;
  cacheDir?: string;
  lockMs?: number;
  log?: (event: WorkerEvent) => void;
}

export function startWorker(options: WorkerServiceOptions): Promise<RunningQueueWorker> {
  const url = checkRedisUrl(options.url, 'redis');
  const words = options.kinds.length ? options.kinds : queueKindWords;
  const kinds = new Set<QueueKind>();
  for (const word of words) {
    if (!(queueKindWords as readonly string[]).includes(word)) throw new InvalidRequestError(`kinds: expected ${queueKindWords.join(', ')}, got ${JSON.stringify(word)}.`);
    for (const kind of kindGroups[word as QueueKindWord]) kinds.add(kind);
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
export function listWorkers(url: string): Promise<QueueWorkerInfo[]> {
  return workersAt(checkRedisUrl(url, 'redis'));
}
