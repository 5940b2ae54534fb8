/**
 * The energy screen's choices and last results (model, device type, precision; the analyses and
 * the partition), kept while the planner visits other screens; a newly loaded project starts afresh.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { EnergyReport, PartitionReport } from '../../../src-main/common/api';
import type { Precision } from '../../../src-main/common/devices/profile';
import { StoreId } from '../ids';
import { useProjectStore } from '../project';

export const useEnergyStore = defineStore(StoreId.Energy, () => {
  const project = useProjectStore();
  /** `model:<id>` or `zoo:<name>`. */
  const modelKey = ref('');
  const deviceId = ref('');
  const precision = ref<Precision | 'auto'>('auto');
  const reports = shallowRef<EnergyReport[] | null>(null);
  /** The choices `reports` answer, so coming back does not analyse again. */
  const reportsFor = ref<string | null>(null);
  const partition = shallowRef<PartitionReport | null>(null);

  watch(
    () => project.generation,
    () => {
      modelKey.value = '';
      deviceId.value = '';
      precision.value = 'auto';
      reports.value = null;
      reportsFor.value = null;
      partition.value = null;
    },
  );

  return { modelKey, deviceId, precision, reports, reportsFor, partition };
});
