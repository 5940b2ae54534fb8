/**
 * The energy-budget wizard's state and its orchestration: the model, the budget per device type,
 * the data, the criterion and effort; one prune job per (device type, budget, criterion) with live
 * progress; the finished run recorded in the project; options accepted as model variants. Lives
 * in a store, so the planner can leave the wizard and come back to it; a newly loaded project
 * starts it afresh.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { EnergyReport } from '../../../src-main/common/api/energy';
import type { PruneBudget, PruneCriterion, PruneEffort, PruneReport, PruneRequest } from '../../../src-main/common/api/pruning';
import type { DeviceTypeSummary } from '../../../src-main/common/devices/profile';
import { nextId } from '../../../src-main/common/project/ids';
import { modelSourceOf } from '../../../src-main/common/project/model-source';
import type { CompressionOption, CompressionRun } from '../../../src-main/common/project/schema';
import { useApi } from '../../api';
import { StoreId } from '../ids';
import { useJobsStore } from '../jobs';
import { useProjectStore } from '../project';
import { acceptCompressionOption, addCompressionRun } from '../project/compression-edits';
import { initialTargets, optionFileName, optionOf, targetBudgets, type DeviceTarget, type LivePoints } from './shared';

export type DataKind = 'dataset' | 'folder' | 'unlabeled';
export type Packaged = 'fashion-mnist' | 'mnist';

/** One option being computed: its coordinates, its job, and then its report or error. */
export interface RunningOption {
  deviceType: string;
  budget: PruneBudget;
  criterion: PruneCriterion;
  relativePath: string;
  jobId: string;
  report: PruneReport | null;
  error: string | null;
}

export const useCompressionStore = defineStore(StoreId.Compression, () => {
  const api = useApi();
  const project = useProjectStore();
  const jobs = useJobsStore();

  const step = ref(1);
  const modelId = ref('');
  const targets = ref<DeviceTarget[]>([]);
  const originals = ref<Record<string, EnergyReport>>({});
  /** The model `originals` were analysed for. */
  const originalsOf = ref<string | null>(null);
  const deviceInfo = ref<Record<string, DeviceTypeSummary>>({});
  const dataKind = ref<DataKind>('dataset');
  const dataset = ref<Packaged>('fashion-mnist');
  const folder = ref('');
  const unlabeled = ref<Packaged | 'folder'>('fashion-mnist');
  const unlabeledFolder = ref('');
  /** Fine-tune on at most this many images per epoch (null: all). */
  const finetuneSamples = ref<number | null>(null);
  const criterion = ref<PruneCriterion>('energy-taylor');
  const baselines = ref(true);
  const effort = ref<PruneEffort>('quick');
  const running = ref<RunningOption[]>([]);
  const live = ref<Record<string, LivePoints>>({});
  /** The run the results step shows: the one just finished or one from the project's history. */
  const viewedRunId = ref<string | null>(null);

  const model = computed(() => project.document?.models.find((m) => m.id === modelId.value) ?? null);
  const busy = computed(() => running.value.some((o) => o.report === null && o.error === null));
  const viewedRun = computed<CompressionRun | null>(() => project.document?.compression.runs.find((r) => r.id === viewedRunId.value) ?? null);

  function reset(): void {
    step.value = 1;
    const doc = project.document;
    // Default to a model Joule can fine-tune (a small net on 28x28 images), else the first original model.
    modelId.value = doc?.models.find((m) => m.parentId === undefined && /(^|\/)(lenet5|vgg_small|resnet20|mobilenet_v2_small)[^/]*\.onnx$/i.test(m.path))?.id ?? doc?.models.find((m) => m.parentId === undefined)?.id ?? '';
    targets.value = doc ? initialTargets(doc) : [];
    originals.value = {};
    originalsOf.value = null;
    running.value = [];
    live.value = {};
    viewedRunId.value = doc?.compression.runs.at(-1)?.id ?? null;
  }
  watch(() => project.generation, reset, { immediate: true });

  // Live curves from the jobs' progress numbers.
  watch(
    () => running.value.map((o) => jobs.byId(o.jobId)?.progress.metrics),
    (all) => {
      running.value.forEach((o, i) => {
        const m = all[i];
        if (!m) return;
        const points = (live.value[o.jobId] ??= { energy: [], accuracy: [], budgetJ: null });
        if (m.energyJ !== undefined && points.energy.at(-1)?.[0] !== m.step) {
          points.energy.push([m.step, m.energyJ]);
          points.budgetJ = m.budgetJ ?? points.budgetJ;
        } else if (m.accuracy !== undefined && m.loss !== undefined && points.accuracy.at(-1)?.[0] !== m.step) points.accuracy.push([m.step, m.accuracy]);
      });
    },
    { deep: true },
  );

  /** The original model's energy and latency on every target device type (a job, once per model), and each type's idle power. */
  async function analyzeOriginals(): Promise<void> {
    const ref = model.value;
    if (!ref || !targets.value.length || originalsOf.value === ref.id) return;
    originalsOf.value = ref.id;
    const types = targets.value.map((t) => t.deviceType);
    const [reports, library] = await Promise.all([
      api.jobs.result(await api.energy.startAnalysis({ model: modelSourceOf(ref, project.baseDir), deviceIds: types, precision: 'auto' })) as Promise<EnergyReport[]>,
      api.devices.list(),
    ]);
    originals.value = Object.fromEntries(reports.map((r) => [r.device.id, r]));
    deviceInfo.value = Object.fromEntries(library.map((d) => [d.id, d]));
  }

  function recipe(): Omit<PruneRequest, 'deviceId' | 'budget' | 'out' | 'criterion'> {
    const ref = model.value!;
    const base = { model: modelSourceOf(ref, project.baseDir), effort: effort.value, ...(finetuneSamples.value ? { finetuneSamples: finetuneSamples.value } : {}) };
    switch (dataKind.value) {
      case 'dataset':
        return { ...base, dataset: dataset.value };
      case 'folder':
        return { ...base, dataset: { folder: folder.value } };
      case 'unlabeled':
        return { ...base, unlabeled: unlabeled.value === 'folder' ? { folder: unlabeledFolder.value } : unlabeled.value, ...(unlabeled.value === 'folder' ? {} : { dataset: unlabeled.value }) };
      default: {
        const unknown: never = dataKind.value;
        throw new Error(`Unknown data kind ${String(unknown)}`);
      }
    }
  }

  /** Every (device type, budget, criterion) the wizard will compute. */
  const planned = computed(() => {
    const criteria: PruneCriterion[] = baselines.value && criterion.value !== 'uniform-l1' ? [criterion.value, 'uniform-l1'] : [criterion.value];
    return targets.value.filter((t) => t.enabled).flatMap((t) => targetBudgets(t).flatMap((budget) => criteria.map((c) => ({ deviceType: t.deviceType, budget, criterion: c }))));
  });

  /** Starts one prune job per planned option, collects the reports, and records the run in the project. */
  async function start(onError: (error: unknown) => void): Promise<void> {
    const ref = model.value;
    if (!ref || !project.path || busy.value) return;
    running.value = [];
    live.value = {};
    step.value = 5;
    try {
      // One sweep: on the job queue, a BullMQ flow whose parent gathers the table.
      const options = planned.value.map((option) => ({ ...option, relativePath: `models/variants/${optionFileName(ref.label, option.deviceType, option.budget, option.criterion)}` }));
      const prunes = options.map(({ relativePath, ...option }) => ({ ...recipe(), ...option, deviceId: option.deviceType, out: `${project.baseDir}/${relativePath}` }));
      const jobIds = await api.pruning.startSweep({ title: `Compression options for ${ref.label}`, prunes });
      running.value = options.map((option, i) => ({ ...option, jobId: jobIds[i], report: null, error: null }));
    } catch (error) {
      onError(error);
    }
    await Promise.all(
      running.value.map(async (o) => {
        try {
          o.report = (await jobs.result(o.jobId)) as PruneReport;
        } catch (error) {
          o.error = (error as Error).message;
        }
      }),
    );
    record(ref.id);
  }

  function record(parentId: string): void {
    const doc = project.document;
    const done = running.value.filter((o) => o.report);
    if (!doc || !done.length) return;
    const runId = nextId('run', doc.compression.runs.map((r) => r.id));
    const options: CompressionOption[] = done.map((o, i) => optionOf(`${runId}-option-${i + 1}`, o.relativePath, o.deviceType, o.report!));
    const data = recipe();
    const describe = (d: PruneRequest['dataset'] | PruneRequest['unlabeled']) => (d === undefined ? undefined : typeof d === 'string' ? d : d.folder);
    const run: CompressionRun = {
      id: runId,
      modelId: parentId,
      createdAt: new Date().toISOString(),
      effort: effort.value,
      ...(describe(data.dataset) === undefined ? {} : { dataset: describe(data.dataset) }),
      ...(describe(data.unlabeled) === undefined ? {} : { unlabeled: describe(data.unlabeled) }),
      options,
    };
    project.apply(addCompressionRun(doc, run), 'Compression run');
    viewedRunId.value = runId;
    step.value = 6;
  }

  async function cancel(): Promise<void> {
    await Promise.all(running.value.filter((o) => !o.report && !o.error).map((o) => jobs.cancel(o.jobId).catch(() => {})));
  }

  /** Adds an option's model to the project as a variant of the run's model. */
  function accept(run: CompressionRun, option: CompressionOption, label: string): string {
    const doc = project.document!;
    const id = nextId('model', doc.models.map((m) => m.id));
    project.apply(acceptCompressionOption(doc, run.id, option.id, { id, label, path: option.path, sha256: option.sha256, sizeBytes: option.sizeBytes, parentId: run.modelId }), label);
    return id;
  }

  return {
    step,
    modelId,
    model,
    targets,
    originals,
    deviceInfo,
    dataKind,
    dataset,
    folder,
    unlabeled,
    unlabeledFolder,
    finetuneSamples,
    criterion,
    baselines,
    effort,
    running,
    live,
    busy,
    planned,
    viewedRunId,
    viewedRun,
    analyzeOriginals,
    start,
    cancel,
    accept,
  };
});
