/** Jobs of this session as a service over the executor: this computer's pool, or a BullMQ queue. */
import type { JobInfo, JobsApi, QueueStatus } from '../common/api/jobs';
import type { RoutingExecutor } from '../jobs/routing-executor';
import type { JouleJobs } from '../jobs/catalog';
import { checkRedisUrl } from '../jobs/queue/connection';
import type { AppState } from './app-state';
import { requireString } from './arguments';

export class JobsService implements JobsApi {
  constructor(
    private readonly executor: RoutingExecutor<JouleJobs>,
    /** Where the window's choice of queue is kept; absent for the command line, which takes --redis each time. */
    private readonly state: AppState | null,
  ) {}

  async list(): Promise<JobInfo[]> {
    return this.executor.list();
  }

  async cancel(jobId: string): Promise<JobInfo> {
    return this.executor.cancel(requireString(jobId, 'jobId'));
  }

  result(jobId: string): Promise<unknown> {
    return this.executor.result(requireString(jobId, 'jobId'));
  }

  queueStatus(): Promise<QueueStatus> {
    return this.executor.status();
  }

  async useQueue(url: string | null): Promise<QueueStatus> {
    const checked = url === null ? null : checkRedisUrl(url, 'url');
    await this.executor.useQueue(checked);
    await this.state?.setQueueUrl(checked);
    return this.executor.status();
  }

  async runHere(jobId: string): Promise<string> {
    return this.executor.runHere(requireString(jobId, 'jobId'));
  }
}
