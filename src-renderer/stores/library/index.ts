/**
 * The device library screen's state: the selected device's full profile, and the library checked
 * against the published measurements (a job of about twenty seconds, kept while the window is open).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ValidationReport } from '../../../src-main/common/api/devices';
import type { DeviceProfile } from '../../../src-main/common/devices/profile';
import { useApi } from '../../api';
import { StoreId } from '../ids';

export const useLibraryStore = defineStore(StoreId.Library, () => {
  const api = useApi();
  const selectedId = ref<string | null>(null);
  const profile = shallowRef<DeviceProfile | null>(null);
  const validation = shallowRef<ValidationReport | null>(null);
  const validationJob = ref<string | null>(null);
  const validationError = ref<string | null>(null);
  const validating = ref(false);

  async function select(id: string): Promise<void> {
    selectedId.value = id;
    const loaded = await api.devices.get(id);
    if (selectedId.value === id) profile.value = loaded;
  }

  async function validate(): Promise<void> {
    if (validating.value) return;
    validating.value = true;
    validation.value = null;
    validationError.value = null;
    try {
      const id = await api.devices.startValidate({});
      validationJob.value = id;
      validation.value = (await api.jobs.result(id)) as ValidationReport;
    } catch (error) {
      if ((error as Error).name !== 'JobCancelledError') validationError.value = (error as Error).message;
    } finally {
      validating.value = false;
    }
  }

  return { selectedId, profile, validation, validationJob, validationError, validating, select, validate };
});
