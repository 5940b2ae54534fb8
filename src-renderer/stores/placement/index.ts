/**
 * The placement screen's state and its one orchestration: build the project's problem once (the
 * service keeps it), start one job per chosen algorithm on it, gather the results as they
 * finish, and keep the placement on the map (a run's, the accepted one, or the planner's edits).
 * Lives in a store so a run and its results survive switching tabs; a newly opened project clears it.
 * A project that has an accepted placement gets its problem built on the screen's first visit, so
 * the accepted placement is on the map, checked, before any run.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { BuiltProblem, PlacementAlgorithm, PlacementRunResult } from '../../../src-main/common/api/placement';
import { checkPlacement, type PlacementReport } from '../../../src-main/common/placement/checker';
import type { PlacementProblem } from '../../../src-main/common/placement/problem';
import type { PlacementResult, ProjectDocument } from '../../../src-main/common/project/schema';
import { placementResultOf } from '../../../src-main/common/project/accept';
import { useApi } from '../../api';
import { StoreId } from '../ids';
import { useJobsStore } from '../jobs';
import { useProjectStore } from '../project';
import { acceptPlacement } from '../project/edits';
import { acceptedState, algorithmOf, bestRun, inAlgorithmOrder, problemInputsKey, type MapSource } from './shared';

export const usePlacementStore = defineStore(StoreId.Placement, () => {
  const api = useApi();
  const project = useProjectStore();
  const jobs = useJobsStore();

  const chosen = ref<PlacementAlgorithm[]>(['aco', 'greedy', 'ffd', 'mip']);
  const timeLimitS = ref(5);
  const seed = ref(1);
  /** Worker threads of the improved ACO's colonies. */
  const colonies = ref(1);
  const problem = shallowRef<PlacementProblem | null>(null);
  const builtFor = ref<string | null>(null);
  const runs = ref<PlacementRunResult[]>([]);
  const runningJobs = ref<string[]>([]);
  const building = ref(false);
  const working = ref<{ source: MapSource; assignment: Record<string, string>; variants: Record<string, string> } | null>(null);

  const stale = computed(() => builtFor.value !== null && project.document !== null && builtFor.value !== problemInputsKey(project.document));
  const report = computed<PlacementReport | null>(() => (problem.value && working.value ? checkPlacement(problem.value, working.value.assignment, working.value.variants) : null));
  const best = computed(() => bestRun(runs.value)?.objective ?? Infinity);
  const busy = computed(() => building.value || runningJobs.value.some((id) => ['queued', 'running'].includes(jobs.byId(id)?.state ?? 'queued')));
  /** Whether the map shows the project's accepted placement, and whether the project changed since. */
  const acceptance = computed(() => acceptedState(working.value?.source ?? null, project.document?.placement.result ?? null, stale.value));
  /** Why Accept is off: the project changed since the problem was built, or the placement breaks constraints. */
  const acceptBlock = computed<'stale' | 'violations' | null>(() => (stale.value ? 'stale' : report.value && !report.value.feasible ? 'violations' : null));

  function reset(): void {
    problem.value = null;
    builtFor.value = null;
    runs.value = [];
    runningJobs.value = [];
    working.value = null;
  }
  watch(() => project.generation, reset);

  /** Builds the problem of the project as it is now (the service keeps it under the returned id); null when another project was opened meanwhile. */
  async function build(doc: ProjectDocument): Promise<BuiltProblem | null> {
    const generation = project.generation;
    const inputs = problemInputsKey(doc);
    const built = (await api.jobs.result(await api.placement.startBuildProblem({ project: { document: doc, baseDir: project.baseDir } }))) as BuiltProblem;
    if (generation !== project.generation) return null;
    problem.value = built.problem;
    builtFor.value = inputs;
    return built;
  }

  function showResult(accepted: PlacementResult): void {
    working.value = { source: { kind: 'accepted', algorithm: accepted.algorithm, acceptedAt: accepted.acceptedAt }, assignment: { ...accepted.assignment }, variants: { ...accepted.variants } };
  }

  /**
   * Puts the project's accepted placement on the map, checked against the project as it is now
   * (building its problem first), when nothing else is there yet. Errors go to `onError`.
   */
  async function showAccepted(onError: (error: unknown) => void): Promise<void> {
    const doc = project.document;
    const accepted = doc?.placement.result;
    if (!doc || !accepted || working.value || busy.value || project.problems.length > 0) return;
    building.value = true;
    try {
      const built = await build(doc);
      if (built && !working.value && project.document?.placement.result === accepted) showResult(accepted);
    } catch (error) {
      onError(error);
    } finally {
      building.value = false;
    }
  }

  /** Builds the problem of the project as it is now, then runs every chosen algorithm on it. Errors go to `onError`. */
  async function run(onError: (error: unknown) => void): Promise<void> {
    const doc = project.document;
    if (!doc) return;
    runs.value = [];
    building.value = true;
    try {
      const built = await build(doc);
      building.value = false;
      if (!built) return;
      const accepted = doc.placement.result;
      if (accepted) showResult(accepted);
      const started = await api.placement.startRun({ problemId: built.problemId, algos: chosen.value, timeLimitS: timeLimitS.value, seed: seed.value, threads: colonies.value });
      runningJobs.value = started.map((s) => s.jobId);
      await Promise.all(started.map(({ jobId }) => collect(jobId, onError)));
    } catch (error) {
      onError(error);
    } finally {
      building.value = false;
    }
  }

  async function collect(jobId: string, onError: (error: unknown) => void): Promise<void> {
    try {
      const result = (await jobs.result(jobId)) as PlacementRunResult;
      // A job restarted on this computer may finish after a newer run began: that run's table is not its place.
      if (!runningJobs.value.includes(jobId)) return;
      runs.value = inAlgorithmOrder([...runs.value, result]);
      const current = bestRun(runs.value);
      if (current && working.value?.source.kind !== 'edited') working.value = { source: { kind: 'run', algo: current.algo }, assignment: { ...current.assignment }, variants: { ...current.variants } };
    } catch (error) {
      if ((error as Error).name !== 'JobCancelledError') onError(error);
    }
  }

  async function cancelAll(): Promise<void> {
    await Promise.all(runningJobs.value.map((id) => jobs.cancel(id).catch(() => {})));
  }

  function show(result: PlacementRunResult): void {
    working.value = { source: { kind: 'run', algo: result.algo }, assignment: { ...result.assignment }, variants: { ...result.variants } };
  }

  /** Shows a placement found elsewhere on this screen (a point of the energy-vs-balance sweep), with the problem it was found for. */
  function showFound(found: PlacementProblem, inputsKey: string, algo: PlacementAlgorithm, plan: { assignment: Record<string, string>; variants: Record<string, string> }): void {
    problem.value = found;
    builtFor.value = inputsKey;
    working.value = { source: { kind: 'run', algo }, assignment: { ...plan.assignment }, variants: { ...plan.variants } };
  }

  function move(workloadId: string, nodeId: string): void {
    if (!working.value || working.value.assignment[workloadId] === nodeId) return;
    working.value = { ...working.value, source: { kind: 'edited' }, assignment: { ...working.value.assignment, [workloadId]: nodeId } };
  }

  /** Stores the placement on the map in the project; false when there is none, it breaks constraints, or the project changed since the run. */
  function accept(label: string): boolean {
    const doc = project.document;
    if (!doc || !working.value || !report.value || acceptBlock.value) return false;
    const r = report.value;
    const result = placementResultOf(doc, algorithmOf(working.value.source), { ...r, assignment: working.value.assignment, variants: working.value.variants }, new Date().toISOString());
    project.apply(acceptPlacement(doc, result), label);
    working.value = { ...working.value, source: { kind: 'accepted', algorithm: result.algorithm, acceptedAt: result.acceptedAt } };
    return true;
  }

  return { chosen, timeLimitS, seed, colonies, problem, runs, building, working, stale, report, best, busy, acceptance, acceptBlock, run, showAccepted, cancelAll, show, showFound, move, accept };
});
