/**
 * The energy-vs-balance sweep of the placement screen: build the project's problem, run the
 * sweep as one job, keep its points, show a chosen point on the map (through the placement
 * store) and carry it back into the project as a weight or as a utilization limit. Lives in a
 * store so a sweep survives switching tabs; a newly opened project clears it.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { BuiltProblem, ParetoAlgorithm, ParetoPoint, ParetoSweepResult } from '../../../src-main/common/api/placement';
import type { PlacementProblem } from '../../../src-main/common/placement/problem';
import { useApi } from '../../api';
import { StoreId } from '../ids';
import { useJobsStore } from '../jobs';
import { useProjectStore } from '../project';
import { setPlacementSettings } from '../project/edits';
import { usePlacementStore } from '.';
import { limitOfPoint } from './pareto-shared';
import { problemInputsKey } from './shared';

export const useParetoStore = defineStore(StoreId.Pareto, () => {
  const api = useApi();
  const project = useProjectStore();
  const jobs = useJobsStore();
  const placement = usePlacementStore();

  const algo = ref<ParetoAlgorithm>('aco');
  const points = ref(8);
  /** Seconds per point. */
  const timeLimitS = ref(1);
  const result = shallowRef<ParetoSweepResult | null>(null);
  const problem = shallowRef<PlacementProblem | null>(null);
  const builtFor = ref<string | null>(null);
  const jobId = ref<string | null>(null);
  const building = ref(false);
  const selected = ref<number | null>(null);

  const job = computed(() => (jobId.value ? jobs.byId(jobId.value) : undefined));
  const busy = computed(() => building.value || (jobId.value !== null && ['queued', 'running'].includes(job.value?.state ?? 'queued')));
  const stale = computed(() => builtFor.value !== null && project.document !== null && builtFor.value !== problemInputsKey(project.document));
  const chosen = computed<ParetoPoint | null>(() => (selected.value === null ? null : (result.value?.points[selected.value] ?? null)));

  function reset(): void {
    result.value = null;
    problem.value = null;
    builtFor.value = null;
    jobId.value = null;
    selected.value = null;
  }
  watch(() => project.generation, reset);

  /** Builds the problem of the project as it is now and sweeps it. Errors go to `onError`. */
  async function sweep(onError: (error: unknown) => void): Promise<void> {
    const doc = project.document;
    if (!doc) return;
    result.value = null;
    selected.value = null;
    building.value = true;
    try {
      const inputs = problemInputsKey(doc);
      const built = (await api.jobs.result(await api.placement.startBuildProblem({ project: { document: doc, baseDir: project.baseDir } }))) as BuiltProblem;
      problem.value = built.problem;
      builtFor.value = inputs;
      building.value = false;
      const id = await api.placement.startParetoSweep({ problemId: built.problemId, algo: algo.value, points: points.value, timeLimitS: timeLimitS.value });
      jobId.value = id;
      const swept = (await jobs.result(id)) as ParetoSweepResult;
      // A sweep restarted on this computer may finish after a newer one began.
      if (jobId.value === id) result.value = swept;
    } catch (error) {
      if ((error as Error).name !== 'JobCancelledError') onError(error);
    } finally {
      building.value = false;
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value) await jobs.cancel(jobId.value).catch(() => {});
  }

  /** Chooses a point and shows its placement on the map. */
  function select(index: number): void {
    const point = result.value?.points[index];
    if (!point || !problem.value || !builtFor.value) return;
    selected.value = index;
    placement.showFound(problem.value, builtFor.value, result.value!.algorithm, point);
  }

  /** Sets the project's lambda to the weight that picks the chosen point (one undo step). */
  function useLambda(label: string): boolean {
    const doc = project.document;
    const point = chosen.value;
    if (!doc || point?.lambdaJ === null || point?.lambdaJ === undefined) return false;
    // Three digits read better, unless rounding would leave the range that picks the point.
    const rounded = Number(point.lambdaJ.toPrecision(3));
    const range = point.lambdaRange;
    const inside = !range || (rounded >= range.min && (range.max === null || rounded <= range.max));
    project.apply(setPlacementSettings(doc, { lambdaJ: inside ? rounded : point.lambdaJ }), label);
    return true;
  }

  /** Sets the project's utilization limit to the chosen point's peak and lambda to 0: energy alone under that cap reproduces the point. */
  function useLimit(label: string): boolean {
    const doc = project.document;
    const point = chosen.value;
    if (!doc || !point?.feasible) return false;
    project.apply(setPlacementSettings(doc, { utilizationLimit: limitOfPoint(point, doc.placement.utilizationLimit ?? 1), lambdaJ: 0 }), label);
    return true;
  }

  return { algo, points, timeLimitS, result, job, busy, building, stale, selected, chosen, sweep, cancel, select, useLambda, useLimit };
});
