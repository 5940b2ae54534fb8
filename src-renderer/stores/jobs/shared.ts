/** Pure helpers of the jobs store. */
import type { JobInfo } from '../../../src-main/common/api/jobs';

/** True for a job that failed because the job queue could not be reached: it can run on this computer instead. */
export function isUnsent(job: JobInfo): boolean {
  return job.state === 'failed' && job.error?.name === 'QueueUnavailableError';
}

/**
 * Follows a job id through its restarts on this computer to the job that runs it now.
 * `latestId({ 'queue-1': 'job-7' }, 'queue-1')` is `'job-7'`; an id never restarted is itself.
 */
export function latestId(restarts: Readonly<Record<string, string>>, jobId: string): string {
  let id = jobId;
  // A restart chain cannot loop (new ids are fresh), but a bad map must not hang the window.
  for (let hops = 0; hops < 100 && restarts[id] !== undefined; hops++) id = restarts[id];
  return id;
}
