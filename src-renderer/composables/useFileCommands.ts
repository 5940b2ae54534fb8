/**
 * New, Open, Save, Save As, Export (to the plan screen) and closing, with the questions they need: native dialogs where the
 * host has them, the window's own file browser otherwise; a confirmation before unsaved work is
 * dropped; a refusal, with the reason, to save a project that has problems.
 */
import { nextTick } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { HostInfo, MenuCommand } from '../../src-main/common/api';
import { PROJECT_FILE_EXTENSION } from '../../src-main/common/project/schema';
import { useApi } from '../api';
import { useProjectStore } from '../stores/project';
import { useDialogs } from './useDialogs';
import { useNotices } from './useNotices';

const extensions = [PROJECT_FILE_EXTENSION.slice(1)];

export function useFileCommands(host: () => HostInfo | null) {
  const api = useApi();
  const project = useProjectStore();
  const dialogs = useDialogs();
  const notices = useNotices();
  const { t } = useI18n();
  const router = useRouter();

  /** True when the work may be replaced: nothing unsaved, saved now, or the planner chose not to save. */
  async function mayDiscard(): Promise<boolean> {
    if (!project.dirty) return true;
    const answer = await dialogs.saveChanges(t('file.saveChangesQuestion', { name: project.title }), { save: t('file.save'), dontSave: t('file.dontSave') });
    if (answer === 'cancel') return false;
    return answer === 'discard' || (await save());
  }

  function folderOf(path: string | null): string {
    if (!path) return project.baseDir || host()?.homeDir || '/';
    return path.replace(/[\\/][^\\/]*$/, '') || '/';
  }

  async function pickOpenPath(): Promise<string | null> {
    const filters = [{ name: t('file.filterName'), extensions }];
    if (host()?.nativeDialogs) return api.host.showOpenDialog({ title: t('file.openTitle'), filters });
    return dialogs.pickPath({ mode: 'open', title: t('file.openTitle'), directory: folderOf(project.path), fileName: '', extensions });
  }

  async function pickSavePath(): Promise<string | null> {
    const suggested = (project.fileName ?? `${project.title}${PROJECT_FILE_EXTENSION}`).replace(/[\\/:*?"<>|]/g, '-');
    const directory = project.path ? folderOf(project.path) : host()?.homeDir ?? '/';
    if (host()?.nativeDialogs) {
      return api.host.showSaveDialog({ title: t('file.saveTitle'), defaultPath: `${directory}/${suggested}`, filters: [{ name: t('file.filterName'), extensions }] });
    }
    return dialogs.pickPath({ mode: 'save', title: t('file.saveTitle'), directory, fileName: suggested, extensions });
  }

  async function save(forceAs = false): Promise<boolean> {
    if (project.problems.length) {
      notices.error(new Error(t('file.fixBeforeSave', { count: project.problems.length }, project.problems.length)));
      return false;
    }
    const target = forceAs || !project.path ? await pickSavePath() : project.path;
    if (!target) return false;
    const saved = await project.save(target);
    notices.info(t('file.saved', { file: project.fileName ?? target }));
    if (saved?.copied.length) notices.info(t('file.copiedModels', { count: saved.copied.length }, saved.copied.length));
    return true;
  }

  async function openPath(path: string): Promise<void> {
    if (await mayDiscard()) await project.openPath(path);
  }

  async function run(command: MenuCommand): Promise<void> {
    try {
      switch (command) {
        case 'file.new':
          if (await mayDiscard()) await project.create();
          return;
        case 'file.open': {
          if (!(await mayDiscard())) return;
          const path = await pickOpenPath();
          if (path) await project.openPath(path);
          return;
        }
        case 'file.save':
          await save();
          return;
        case 'file.saveAs':
          await save(true);
          return;
        case 'file.export':
          // Export lives on the plan screen, beside the plan it exports.
          await router.push({ name: 'plan' });
          await nextTick();
          document.querySelector('[data-testid="export-section"]')?.scrollIntoView();
          return;
        case 'file.saveAndClose':
          if (await save()) await api.host.closeWindow();
          return;
        case 'edit.undo':
          project.undo();
          return;
        case 'edit.redo':
          project.redo();
          return;
        default: {
          const unknown: never = command;
          throw new Error(`Unknown command ${String(unknown)}`);
        }
      }
    } catch (error) {
      notices.error(error);
    }
  }

  return { run, openPath, save };
}
