/**
 * Where long jobs run, as the window sets it: this computer, or a job queue (BullMQ on Redis) that
 * `joule worker` processes on other machines take jobs from. The host keeps the choice across
 * sessions; this store only mirrors its status. The URL typed may hold a password, so the store
 * never keeps it: the status carries the URL without its password.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { QueueStatus } from '../../../src-main/common/api/jobs';
import { useApi } from '../../api';
import { StoreId } from '../ids';

export const useQueueStore = defineStore(StoreId.Queue, () => {
  const api = useApi();
  const status = ref<QueueStatus | null>(null);
  /** A status request or a change is under way. */
  const checking = ref(false);

  async function during<T>(work: () => Promise<T>): Promise<T> {
    checking.value = true;
    try {
      return await work();
    } finally {
      checking.value = false;
    }
  }

  /** Asks the host again (Redis reachable? which workers?). */
  async function refresh(): Promise<void> {
    status.value = await during(() => api.jobs.queueStatus());
  }

  /**
   * Sends long jobs to the queue at `url`, or back to this computer with null. Rejects with the
   * host's sentence when Redis does not answer; the status then stays as it was.
   */
  async function use(url: string | null): Promise<void> {
    status.value = await during(() => api.jobs.useQueue(url));
  }

  return { status, checking, refresh, use };
});
