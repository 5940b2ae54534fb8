/**
 * Runs one job at a time for a screen: starts it, follows its progress through the jobs store,
 * resolves its result, and cancels it. Errors land in `error` as the sentence to show. A job that
 * could not reach the job queue and is run on this computer instead is followed as the same job.
 */
import { computed, ref, shallowRef } from 'vue';
import { useJobsStore } from '../stores/jobs';

export function useJob<T>() {
  const jobs = useJobsStore();
  const jobId = ref<string | null>(null);
  const result = shallowRef<T | null>(null);
  const error = ref<string | null>(null);
  /** True when the last run stopped because someone cancelled it (not an error). */
  const cancelled = ref(false);
  const info = computed(() => (jobId.value ? jobs.byId(jobId.value) : undefined));
  const running = computed(() => info.value?.state === 'running' || info.value?.state === 'queued' || (jobId.value !== null && !info.value && result.value === null && error.value === null && !cancelled.value));

  async function run(start: () => Promise<string>): Promise<T | null> {
    error.value = null;
    cancelled.value = false;
    result.value = null;
    try {
      const id = await start();
      jobId.value = id;
      const value = (await jobs.result(id)) as T;
      if (jobId.value === id) result.value = value;
      return value;
    } catch (e) {
      if ((e as Error).name === 'JobCancelledError') cancelled.value = true;
      else error.value = (e as Error).message;
      return null;
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value) await jobs.cancel(jobId.value);
  }

  return { jobId, info, running, result, error, cancelled, run, cancel };
}
