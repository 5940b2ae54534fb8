/**
 * Jobs of this session as the host reports them, newest first, and the one way screens follow a
 * job to its result. A job that could not reach the job queue waits for the planner's choice in
 * the jobs panel: run it on this computer (`runHere`, and the screen follows the new job as if it
 * were the old one) or cancel it (the screen sees a cancelled job).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { isFinished, type JobInfo } from '../../../src-main/common/api/jobs';
import { JobCancelledError } from '../../../src-main/common/errors';
import { useApi } from '../../api';
import { StoreId } from '../ids';
import { isUnsent, latestId } from './shared';

export const useJobsStore = defineStore(StoreId.Jobs, () => {
  const api = useApi();
  const jobs = ref<JobInfo[]>([]);
  /** Old job id -> the id of the job that runs it on this computer instead. */
  const restarts = ref<Record<string, string>>({});
  /** Jobs that could not reach the queue and that the planner cancelled rather than run here. */
  const dismissed = ref<string[]>([]);
  /** Screens waiting on a job that could not reach the queue, by its id: told the new id, or that it was cancelled. */
  const waiting = new Map<string, { resolve: (id: string) => void; reject: (e: Error) => void }[]>();

  const active = computed(() => jobs.value.filter((j) => !isFinished(j.state)));
  /** Jobs that could not reach the job queue and wait for the planner: run here, or cancel. */
  const unsent = computed(() => jobs.value.filter((j) => isUnsent(j) && !(j.id in restarts.value) && !dismissed.value.includes(j.id)));

  function upsert(job: JobInfo): void {
    const index = jobs.value.findIndex((j) => j.id === job.id);
    if (index >= 0) jobs.value.splice(index, 1, job);
    else jobs.value.unshift(job);
  }

  function listen(): () => void {
    return api.onEvent((event) => {
      if (event.type === 'job.updated') upsert(event.job);
    });
  }

  async function cancel(jobId: string): Promise<void> {
    const id = latestId(restarts.value, jobId);
    const job = byId(id);
    if (job && isUnsent(job)) {
      dismissed.value.push(id);
      settle(id, null);
      return;
    }
    upsert(await api.jobs.cancel(id));
  }

  /** Runs a job that could not reach the queue on this computer; whoever waits on the old id follows the new job. */
  async function runHere(jobId: string): Promise<string> {
    const next = await api.jobs.runHere(jobId);
    restarts.value = { ...restarts.value, [jobId]: next };
    settle(jobId, next);
    return next;
  }

  function settle(jobId: string, next: string | null): void {
    for (const waiter of waiting.get(jobId) ?? []) {
      if (next) waiter.resolve(next);
      else waiter.reject(new JobCancelledError(`${byId(jobId)?.title ?? jobId} was cancelled.`));
    }
    waiting.delete(jobId);
  }

  /**
   * The job's result, as `api.jobs.result`, except that a job that could not reach the queue is
   * waited on until the planner runs it here (then the new job's result) or cancels it.
   */
  async function result(jobId: string): Promise<unknown> {
    try {
      return await api.jobs.result(jobId);
    } catch (error) {
      if ((error as Error).name !== 'QueueUnavailableError') throw error;
      const next = await new Promise<string>((resolve, reject) => {
        const known = restarts.value[jobId];
        if (known) resolve(known);
        else if (dismissed.value.includes(jobId)) reject(new JobCancelledError(`${byId(jobId)?.title ?? jobId} was cancelled.`));
        else waiting.set(jobId, [...(waiting.get(jobId) ?? []), { resolve, reject }]);
      });
      return result(next);
    }
  }

  /** The job, or the job that runs it on this computer when it could not reach the queue. */
  function byId(jobId: string): JobInfo | undefined {
    const id = latestId(restarts.value, jobId);
    return jobs.value.find((j) => j.id === id);
  }

  return { jobs, active, unsent, restarts, listen, cancel, runHere, result, byId };
});
