/**
 * `--redis URL`: long jobs (prune, train, schedule) go to the BullMQ queue at URL, run by
 * `joule worker` processes on any machine. JOULE_REDIS_URL sets it for every command.
 */
import type { OptionSpec, ParsedArgs, RuntimeOptions } from './command';
import { stringOption } from './command';

export const REDIS_OPTION: OptionSpec = {
  type: 'string',
  placeholder: 'URL',
  description: 'Run on the job queue at this Redis URL (redis://[:password@]host:6379, rediss:// for TLS; default JOULE_REDIS_URL) instead of this computer.',
};

/** The queue's URL: --redis, else JOULE_REDIS_URL, else none. */
export function redisUrl(args: ParsedArgs): string | undefined {
  return stringOption(args, 'redis') ?? (process.env.JOULE_REDIS_URL || undefined);
}

/** Runtime options that send long jobs to the queue when one is named. */
export function queueRuntime(args: ParsedArgs): RuntimeOptions {
  const url = redisUrl(args);
  return url === undefined ? {} : { queue: { url } };
}
