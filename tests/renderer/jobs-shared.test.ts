import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src-main/common/api/jobs';
import { isUnsent, latestId } from '../../src-renderer/stores/jobs/shared';

const job = (state: JobInfo['state'], errorName: string | null): JobInfo => ({
  id: 'queue-1',
  kind: 'placement.run',
  title: 'Place',
  state,
  progress: { fraction: null, message: '', etaMs: null, metrics: null },
  createdAt: 0,
  startedAt: null,
  finishedAt: null,
  error: errorName ? { name: errorName, message: 'Why.' } : null,
});

describe('jobs store helpers', () => {
  it('tells a job that could not reach the queue from other failures', () => {
    expect(isUnsent(job('failed', 'QueueUnavailableError'))).toBe(true);
    expect(isUnsent(job('failed', 'JobFailedError'))).toBe(false);
    expect(isUnsent(job('cancelled', 'QueueUnavailableError'))).toBe(false);
    expect(isUnsent(job('running', null))).toBe(false);
  });

  it('follows restarts to the job that runs now', () => {
    expect(latestId({}, 'queue-1')).toBe('queue-1');
    expect(latestId({ 'queue-1': 'job-7' }, 'queue-1')).toBe('job-7');
    expect(latestId({ 'queue-1': 'queue-4', 'queue-4': 'job-9' }, 'queue-1')).toBe('job-9');
    expect(latestId({ a: 'b', b: 'a' }, 'a')).toMatch(/^[ab]$/);
  });
});
