/**
 * The open project: its document with undo/redo, the file it belongs to, whether it has unsaved
 * changes, its validation problems, and the recovery file that keeps unsaved work safe.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { OpenedProject, RecoverySnapshot } from '../../../src-main/common/api';
import { validateProject } from '../../../src-main/common/project/validate';
import type { ProjectDocument } from '../../../src-main/common/project/schema';
import type { ValidationProblem } from '../../../src-main/common/validation';
import { useApi } from '../../api';
import { useDeviceTypesStore } from '../devices';
import { StoreId } from '../ids';
import { record, redo as redoHistory, startHistory, undo as undoHistory, type History } from './history';

const RECOVERY_DELAY_MS = 1000;

export const useProjectStore = defineStore(StoreId.Project, () => {
  const api = useApi();
  const deviceTypes = useDeviceTypesStore();

  const path = ref<string | null>(null);
  /** Save As's model copying while it runs (bytes over the bytes it will copy), else null. */
  const saveProgress = ref<{ file: string; copiedBytes: number; totalBytes: number } | null>(null);
  const baseDir = ref('');
  const migratedFrom = ref<number | null>(null);
  const history = shallowRef<History<ProjectDocument> | null>(null);
  const savedEntryId = ref<number | null>(null);
  const recovery = ref<RecoverySnapshot | null>(null);
  /** Counts projects loaded (opened, created, recovered): screens that keep results per project clear them when it changes. */
  const generation = ref(0);

  const document = computed(() => history.value?.present.value ?? null);
  const dirty = computed(() => history.value !== null && history.value.present.id !== savedEntryId.value);
  const canUndo = computed(() => (history.value?.past.length ?? 0) > 0);
  const canRedo = computed(() => (history.value?.future.length ?? 0) > 0);
  const undoLabel = computed(() => history.value?.present.label ?? '');
  const redoLabel = computed(() => history.value?.future[0]?.label ?? '');
  const title = computed(() => document.value?.name ?? 'Joule');
  const fileName = computed(() => (path.value ? path.value.split(/[\\/]/).pop() ?? path.value : null));

  /** Problems by JSON path (`devices[3].ramMB`), recomputed on every change. */
  const problems = computed<ValidationProblem[]>(() => {
    if (!document.value) return [];
    const result = validateProject(document.value, deviceTypes.loaded ? deviceTypes.ids : null);
    return result.ok ? [] : result.problems;
  });
  const problemByPath = computed(() => new Map(problems.value.map((p) => [p.path, p.message])));

  function load(opened: OpenedProject, options: { dirty?: boolean } = {}): void {
    path.value = opened.path;
    baseDir.value = opened.baseDir;
    migratedFrom.value = opened.migratedFrom;
    history.value = startHistory(opened.document);
    savedEntryId.value = options.dirty ? null : history.value.present.id;
    generation.value++;
  }

  /** Records an edit for undo. `label` says what it did, for the Undo tooltip. */
  function apply(next: ProjectDocument, label: string): void {
    if (!history.value || next === history.value.present.value) return;
    history.value = record(history.value, next, label);
  }

  function undo(): void {
    if (history.value) history.value = undoHistory(history.value);
  }

  function redo(): void {
    if (history.value) history.value = redoHistory(history.value);
  }

  async function openPath(filePath: string): Promise<void> {
    load(await api.project.open(filePath));
  }

  async function openSample(): Promise<void> {
    // The sample is a template: it opens unsaved, so Save asks where to keep the copy.
    load(await api.project.openSample(), { dirty: false });
  }

  async function create(): Promise<void> {
    load(await api.project.create(), { dirty: false });
  }

  /**
   * Saves to `target` (Save As) or the current file; returns null when the project is untitled,
   * else the model files Save As copied into the new folder.
   */
  async function save(target?: string): Promise<{ copied: string[] } | null> {
    const doc = document.value;
    const where = target ?? path.value;
    if (!doc || !where) return null;
    const entry = history.value!.present;
    // Save As into another folder copies the models; large ones take a while, so show it.
    const stopListening = api.onEvent((event) => {
      if (event.type === 'project.saveProgress' && event.path.replace(/\.joule$/i, '') === where.replace(/\.joule$/i, '')) saveProgress.value = { file: event.file, copiedBytes: event.copiedBytes, totalBytes: event.totalBytes };
    });
    let saved;
    try {
      saved = await api.project.save({ path: where, baseDir: baseDir.value, document: doc });
    } finally {
      stopListening();
      saveProgress.value = null;
    }
    path.value = saved.path;
    baseDir.value = saved.baseDir;
    migratedFrom.value = null;
    const rebased = JSON.stringify(saved.document) !== JSON.stringify(doc);
    if (rebased && history.value!.present.id === entry.id) {
      // Save As into another folder rebased the model paths: that is now the saved state.
      history.value = record(history.value!, saved.document, 'Save As');
      savedEntryId.value = history.value.present.id;
    } else {
      // Edits made while the save ran stay unsaved (dirty).
      savedEntryId.value = entry.id;
    }
    await api.project.clearRecovery();
    return { copied: saved.copied ?? [] };
  }

  async function checkRecovery(): Promise<void> {
    recovery.value = await api.project.readRecovery();
  }

  function restoreRecovery(): void {
    const snapshot = recovery.value;
    if (!snapshot) return;
    load({ path: snapshot.path, baseDir: snapshot.baseDir, document: snapshot.document, migratedFrom: null }, { dirty: true });
    recovery.value = null;
  }

  async function discardRecovery(): Promise<void> {
    recovery.value = null;
    await api.project.clearRecovery();
  }

  // Unsaved work goes to the recovery file shortly after each change.
  let recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  watch(history, () => {
    clearTimeout(recoveryTimer);
    if (!dirty.value || !document.value || recovery.value) return;
    recoveryTimer = setTimeout(() => {
      if (dirty.value && document.value) {
        void api.project.writeRecovery({ path: path.value, baseDir: baseDir.value, document: document.value, savedAt: Date.now() });
      }
    }, RECOVERY_DELAY_MS);
  });

  return {
    path,
    baseDir,
    fileName,
    migratedFrom,
    document,
    generation,
    dirty,
    title,
    canUndo,
    canRedo,
    undoLabel,
    redoLabel,
    problems,
    problemByPath,
    recovery,
    saveProgress,
    load,
    apply,
    undo,
    redo,
    create,
    openPath,
    openSample,
    save,
    checkRecovery,
    restoreRecovery,
    discardRecovery,
  };
});
