/** The device library's types, loaded once for pickers, defaults and validation. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DeviceTypeSummary } from '../../../src-main/common/devices/profile';
import type { TypeDefaults } from '../../../src-main/common/csv/devices-csv';
import { useApi } from '../../api';
import { StoreId } from '../ids';

export const useDeviceTypesStore = defineStore(StoreId.DeviceTypes, () => {
  const types = ref<DeviceTypeSummary[]>([]);
  const loaded = ref(false);
  const byId = computed(() => new Map(types.value.map((t) => [t.id, t])));
  const ids = computed(() => types.value.map((t) => t.id));

  async function load(): Promise<void> {
    types.value = await useApi().devices.list();
    loaded.value = true;
  }

  function defaultsFor(type: string): TypeDefaults | null {
    const t = byId.value.get(type);
    return t ? { ramMB: t.ramMB, storageGB: t.storageGB, radio: t.radios[0] ?? 'none', uplinkMbps: t.maxUplinkMbps } : null;
  }

  return { types, loaded, byId, ids, load, defaultsFor };
});
