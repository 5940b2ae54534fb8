/** Jobs of this session as a service over the worker pool. */
import type { JobInfo, JobsApi } from '../common/api/jobs';
import type { JobPool } from '../jobs/pool';
import type { JouleJobs } from '../jobs/catalog';
import { requireString } from './arguments';

export class JobsService implements JobsApi {
  constructor(private readonly pool: JobPool<JouleJobs>) {}

  async list(): Promise<JobInfo[]> {
    return this.pool.list();
  }

  async cancel(jobId: string): Promise<JobInfo> {
    return this.pool.cancel(requireString(jobId, 'jobId'));
  }

  result(jobId: string): Promise<unknown> {
    return this.pool.result(requireString(jobId, 'jobId'));
  }
}
