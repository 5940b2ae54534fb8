/**
 * The plan screen's state: the joint search of variant and node (beside the two simpler
 * strategies), accepting its plan into the project, and exporting the accepted plan as a
 * deployment bundle. Lives in a store so results survive leaving the screen; a newly loaded
 * project starts afresh.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ExportReport, PlanReport } from '../../../src-main/common/api/plan';
import { checkPlacement, type PlacementReport } from '../../../src-main/common/placement/checker';
import { placementResultOf } from '../../../src-main/common/project/accept';
import { useApi } from '../../api';
import { StoreId } from '../ids';
import { useJobsStore } from '../jobs';
import { problemInputsKey } from '../placement/shared';
import { useProjectStore } from '../project';
import { acceptPlacement } from '../project/edits';

export const usePlanStore = defineStore(StoreId.Plan, () => {
  const api = useApi();
  const project = useProjectStore();
  const jobs = useJobsStore();

  const timeLimitS = ref(5);
  const seed = ref(1);
  const planJob = ref<string | null>(null);
  const report = shallowRef<PlanReport | null>(null);
  const plannedFor = ref<string | null>(null);
  const planError = ref<string | null>(null);

  const outDir = ref('');
  const k8s = ref(false);
  const tarballs = ref(false);
  const exportJob = ref<string | null>(null);
  const exported = shallowRef<ExportReport | null>(null);
  const exportError = ref<string | null>(null);

  const running = (id: string | null) => id !== null && ['queued', 'running'].includes(jobs.byId(id)?.state ?? 'queued');
  const planning = computed(() => running(planJob.value) && report.value === null && planError.value === null);
  const exporting = computed(() => running(exportJob.value) && exported.value === null && exportError.value === null);
  const stale = computed(() => plannedFor.value !== null && project.document !== null && plannedFor.value !== problemInputsKey(project.document));
  /** The joint plan judged by the independent checker, for the map. */
  const jointReport = computed<PlacementReport | null>(() => (report.value ? checkPlacement(report.value.problem, report.value.joint.assignment, report.value.joint.variants) : null));
  /** True when the project's accepted placement is this joint plan. */
  const accepted = computed(() => {
    const doc = project.document;
    const joint = report.value?.joint;
    const result = doc?.placement.result;
    if (!doc || !joint || !result) return false;
    const mine = placementResultOf(doc, 'aco', joint, '');
    return JSON.stringify([result.assignment, result.variants ?? {}]) === JSON.stringify([mine.assignment, mine.variants ?? {}]);
  });

  function reset(): void {
    planJob.value = null;
    report.value = null;
    plannedFor.value = null;
    planError.value = null;
    exportJob.value = null;
    exported.value = null;
    exportError.value = null;
    outDir.value = '';
  }
  watch(() => project.generation, reset);

  async function plan(): Promise<void> {
    const doc = project.document;
    if (!doc || planning.value) return;
    report.value = null;
    planError.value = null;
    const inputs = problemInputsKey(doc);
    try {
      const id = await api.plan.startCompare({ project: { document: doc, baseDir: project.baseDir }, timeLimitS: timeLimitS.value, seed: seed.value });
      planJob.value = id;
      const result = (await api.jobs.result(id)) as PlanReport;
      if (planJob.value !== id) return;
      report.value = result;
      plannedFor.value = inputs;
    } catch (error) {
      if ((error as Error).name !== 'JobCancelledError') planError.value = (error as Error).message;
    }
  }

  /** Stores the joint plan as the project's accepted placement (undoable). */
  function accept(label: string): boolean {
    const doc = project.document;
    if (!doc || !report.value || stale.value || !report.value.joint.feasible) return false;
    project.apply(acceptPlacement(doc, placementResultOf(doc, 'aco', report.value.joint, new Date().toISOString())), label);
    return true;
  }

  async function exportBundle(): Promise<void> {
    const doc = project.document;
    if (!doc || exporting.value) return;
    exported.value = null;
    exportError.value = null;
    try {
      const id = await api.plan.startExport({ project: { document: doc, baseDir: project.baseDir }, outDir: outDir.value.trim(), k8s: k8s.value, tarballs: tarballs.value });
      exportJob.value = id;
      const result = (await api.jobs.result(id)) as ExportReport;
      if (exportJob.value === id) exported.value = result;
    } catch (error) {
      if ((error as Error).name !== 'JobCancelledError') exportError.value = (error as Error).message;
    }
  }

  async function cancel(): Promise<void> {
    for (const id of [planJob.value, exportJob.value]) if (running(id)) await jobs.cancel(id!).catch(() => {});
  }

  return { timeLimitS, seed, planJob, report, planError, planning, stale, jointReport, accepted, outDir, k8s, tarballs, exportJob, exported, exportError, exporting, plan, accept, exportBundle, cancel };
});
