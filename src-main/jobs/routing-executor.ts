/**
 * The executor the services see: long jobs of the kinds a queue worker runs go to the BullMQ
 * queue when one is set, everything else (and everything when none is) to this computer's pool.
 * The queue can be set, changed or dropped while jobs run; jobs already sent keep being followed.
 */
import type { JobInfo, QueueStatus } from '../common/api/jobs';
import { NotFoundError } from '../common/errors';
import { describeValue } from '../common/validation';
import type { JobCatalog } from './context';
import type { JobExecutor, StartOptions, SweepJob } from './executor';
import type { JobPool } from './pool';
import { checkReachable, redactedUrl } from './queue/connection';
import { isQueueKind, queueKinds } from './queue/names';
import { QueueExecutor } from './queue/queue-executor';
import { workersAt } from './queue/registry';

export class RoutingExecutor<C extends JobCatalog> implements JobExecutor<C> {
  private queue: QueueExecutor<C> | null = null;
  /** Every queue executor of this session, the current one last: their jobs stay reachable. */
  private readonly queues: QueueExecutor<C>[] = [];
  private readonly owners = new Map<string, QueueExecutor<C>>();

  constructor(
    private readonly local: JobPool<C>,
    private readonly onUpdate: (job: JobInfo) => void,
  ) {}

  /** Sends the long jobs that follow to the queue at `url` (checked first), or back here with null. */
  async useQueue(url: string | null): Promise<void> {
    if (url === null) {
      this.retireIdle();
      this.queue = null;
      return;
    }
    await checkReachable(url);
    this.useQueueUnchecked(url);
  }

  /** The queue at `url`, without asking Redis first: its jobs fail with a sentence if it does not answer. */
  useQueueUnchecked(url: string): void {
    if (this.queue?.url === url) return;
    this.retireIdle();
    this.queue = new QueueExecutor<C>({ url, onUpdate: this.onUpdate });
    this.queues.push(this.queue);
  }

  async status(): Promise<QueueStatus> {
    const base = { kinds: [...queueKinds], workers: [] };
    if (!this.queue) return { ...base, mode: 'local', url: null, reachable: null, error: null };
    const url = this.queue.url;
    try {
      return { ...base, mode: 'queue', url: redactedUrl(url), reachable: true, error: null, workers: await workersAt(url) };
    } catch (error) {
      return { ...base, mode: 'queue', url: redactedUrl(url), reachable: false, error: (error as Error).message };
    }
  }

  start<K extends keyof C & string>(kind: K, input: C[K]['input'], options: StartOptions = {}): { id: string; done: Promise<C[K]['output']> } {
    if (!this.queue || !isQueueKind(kind)) return this.local.start(kind, input, options);
    const started = this.queue.start(kind, input, options);
    this.owners.set(started.id, this.queue);
    return started;
  }

  startSweep(title: string, jobs: SweepJob<C>[]): string[] {
    const queue = this.queue;
    if (!queue || !jobs.every((j) => isQueueKind(j.kind))) return this.local.startSweep(title, jobs);
    const ids = queue.startSweep(title, jobs);
    for (const id of ids) this.owners.set(id, queue);
    return ids;
  }

  /** The current queue's connections are closed when it is replaced and follows no job (its summaries stay). */
  private retireIdle(): void {
    if (this.queue && !this.queue.hasLive()) void this.queue.close();
  }

  /** A job that could not reach the queue, started again on this computer. */
  runHere(jobId: string): string {
    const owner = this.owners.get(jobId);
    const unsent = owner?.takeUnsent(jobId);
    if (!unsent) throw new NotFoundError(`${describeValue(jobId)} is not a job that failed to reach the job queue; only those can be run here instead.`);
    return this.local.start(unsent.kind as keyof C & string, unsent.input as never, { title: unsent.title }).id;
  }

  list(): JobInfo[] {
    return [...this.local.list(), ...this.queues.flatMap((q) => q.list())].sort((a, b) => b.createdAt - a.createdAt);
  }

  get(jobId: string): JobInfo {
    return this.owner(jobId).get(jobId);
  }

  result(jobId: string): Promise<unknown> {
    return this.owner(jobId).result(jobId);
  }

  cancel(jobId: string): JobInfo {
    return this.owner(jobId).cancel(jobId);
  }

  async close(): Promise<void> {
    await Promise.all([this.local.close(), ...this.queues.map((q) => q.close())]);
  }

  private owner(jobId: string): JobExecutor<C> {
    return this.owners.get(jobId) ?? this.local;
  }
}

