/** Jobs of this session as the host reports them, newest first. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { isFinished, type JobInfo } from '../../../src-main/common/api/jobs';
import { useApi } from '../../api';
import { StoreId } from '../ids';

export const useJobsStore = defineStore(StoreId.Jobs, () => {
  const api = useApi();
  const jobs = ref<JobInfo[]>([]);
  const active = computed(() => jobs.value.filter((j) => !isFinished(j.state)));

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
    upsert(await api.jobs.cancel(jobId));
  }

  function byId(jobId: string): JobInfo | undefined {
    return jobs.value.find((j) => j.id === jobId);
  }

  return { jobs, active, listen, cancel, byId };
});
