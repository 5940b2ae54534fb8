/**
 * Which queue workers are alive: each registers what it offers (cores, memory, onnxruntime
 * version, the kinds it takes) under a key that expires unless its heartbeat renews it.
 */
import type { Redis } from 'ioredis';
import type { QueueWorkerInfo } from '../../common/api/jobs';
import { checkReachable, openConnection } from './connection';
import { WORKER_KEY_PATTERN, workerKey } from './names';

/** A registration outlives its last heartbeat by this long. */
export const REGISTRATION_TTL_S = 30;
export const HEARTBEAT_MS = 10_000;

export async function register(redis: Redis, info: QueueWorkerInfo): Promise<void> {
  await redis.set(workerKey(info.id), JSON.stringify({ ...info, seenAt: Date.now() }), 'EX', REGISTRATION_TTL_S);
}

export async function unregister(redis: Redis, workerId: string): Promise<void> {
  await redis.del(workerKey(workerId));
}

/** The workers registered with the queue at `url` (a QueueUnavailableError when Redis does not answer). */
export async function workersAt(url: string): Promise<QueueWorkerInfo[]> {
  await checkReachable(url);
  const redis = openConnection(url, 'producer');
  try {
    return await liveWorkers(redis);
  } finally {
    redis.disconnect();
  }
}

/** The workers whose registration has not expired, by id. */
export async function liveWorkers(redis: Redis): Promise<QueueWorkerInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', WORKER_KEY_PATTERN, 'COUNT', 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0' && keys.length < 10_000);
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  const workers: QueueWorkerInfo[] = [];
  for (const value of values) {
    if (!value) continue;
    try {
      workers.push(JSON.parse(value) as QueueWorkerInfo);
    } catch {
      // A key someone else wrote: not a Joule worker.
    }
  }
  return workers.sort((a, b) => (a.id < b.id ? -1 : 1));
}
