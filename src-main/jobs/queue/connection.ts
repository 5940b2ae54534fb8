/**
 * Connections to the Redis behind the job queue: `redis://` or `rediss://` (TLS) URLs with an
 * optional user and password, a CA file for private certificates (`JOULE_REDIS_CA`), a reachability
 * check that answers in seconds with a sentence, and the URL as messages show it (no password).
 */
import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import { InvalidRequestError, QueueUnavailableError } from '../../common/errors';

/** How long a reachability check waits for Redis to answer. */
const CONNECT_TIMEOUT_MS = 3_000;

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    // ioredis also takes the password as a query parameter.
    for (const key of [...parsed.searchParams.keys()]) if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString().replace(/\/$/, '').replace(/%2A%2A%2A/g, '***');
  } catch {
    return '(an unreadable Redis URL)';
  }
}

/** Checks the URL's form; names the setting at fault. */
export function checkRedisUrl(url: unknown, field = 'redis'): string {
  if (typeof url !== 'string' || url.trim() === '') throw new InvalidRequestError(`${field}: expected a Redis URL such as redis://host:6379, got ${JSON.stringify(url)}.`);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new InvalidRequestError(`${field}: "${redactedUrl(url)}" is not a URL; expected redis://[user:password@]host:port[/db] or rediss:// for TLS.`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InvalidRequestError(`${field}: expected a redis:// or rediss:// URL, got ${parsed.protocol}// in ${redactedUrl(url)}.`);
  }
  if (!parsed.hostname) throw new InvalidRequestError(`${field}: ${redactedUrl(url)} names no host.`);
  return url.trim();
}

function tlsOptions(url: string): Pick<RedisOptions, 'tls'> {
  if (!url.startsWith('rediss:')) return {};
  const caFile = process.env.JOULE_REDIS_CA;
  return { tls: caFile ? { ca: readFileSync(caFile) } : {} };
}

/**
 * A connection for BullMQ: workers and event listeners block on Redis, so they must retry
 * forever (`maxRetriesPerRequest: null`); producers fail fast instead.
 */
export function openConnection(url: string, role: 'blocking' | 'producer'): Redis {
  const redis = new Redis(url, {
    ...tlsOptions(url),
    maxRetriesPerRequest: role === 'blocking' ? null : 2,
    enableOfflineQueue: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    lazyConnect: false,
  });
  // ioredis reports every failed reconnect as an 'error' event: the callers' checks and job
  // failures say what went wrong, so these must not crash the process.
  redis.on('error', () => {});
  return redis;
}

/** Throws a QueueUnavailableError naming the URL when Redis does not answer a PING within seconds. */
export async function checkReachable(url: string): Promise<void> {
  const probe = new Redis(url, { ...tlsOptions(url), lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let lastError: Error | null = null;
  probe.on('error', (error: Error) => (lastError = error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const why = (lastError ?? (error as Error)).message;
    throw new QueueUnavailableError(`Joule could not reach the job queue at ${redactedUrl(url)} (${why}). Start Redis there or check the URL, password and TLS setting; the jobs can run on this computer instead.`);
  } finally {
    probe.disconnect();
  }
}
