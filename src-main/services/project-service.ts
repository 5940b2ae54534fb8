/** The project service: open, save, validate, recover and check `.joule` projects. */
import path from 'node:path';
import type { OpenedProject, ProjectApi, RecentProject, RecoverySnapshot, SaveRequest } from '../common/api/project';
import type { JouleEvent } from '../common/api/events';
import { InvalidRequestError } from '../common/errors';
import { PROJECT_FILE_EXTENSION, emptyProject, type ProjectDocument } from '../common/project/schema';
import { validateProject } from '../common/project/validate';
import type { ValidationProblem } from '../common/validation';
import type { DeviceLibrary } from '../core/energy/device-library';
import { gatherModels, type CopyProgress } from '../core/project/self-contained';
import { readProjectFile, writeProjectFile } from '../core/project/project-file';
import type { JobExecutor } from '../jobs/executor';
import type { JouleJobs } from '../jobs/catalog';
import type { AppState } from './app-state';
import { requireObject, requireString } from './arguments';
import { checkProjectModels, type FileAccess } from './file-access';

export interface ProjectServiceOptions {
  library: DeviceLibrary;
  state: AppState;
  pool: JobExecutor<JouleJobs>;
  /** The `.joule` file opened on first start. */
  sampleFile: string;
  /** Where new untitled projects resolve relative model paths. */
  documentsDir: string;
  /** Which paths requests may name. */
  access: FileAccess;
  /** Pushes an event to the windows (Save As progress). */
  publish?: (event: JouleEvent) => void;
}

export class ProjectService implements ProjectApi {
  constructor(private readonly o: ProjectServiceOptions) {}

  async create(): Promise<OpenedProject> {
    return { path: null, baseDir: this.o.access.root ?? this.o.documentsDir, document: emptyProject(), migratedFrom: null };
  }

  async open(filePath: string): Promise<OpenedProject> {
    const opened = await this.read(filePath);
    await this.o.state.touchRecent(opened.path!, opened.document.name);
    return opened;
  }

  async read(filePath: string): Promise<OpenedProject> {
    const absolute = await this.o.access.readable(requireString(filePath, 'path'), 'path');
    const { document, migratedFrom } = await readProjectFile(absolute, this.o.library.ids());
    return { path: absolute, baseDir: path.dirname(absolute), document, migratedFrom };
  }

  async openSample(): Promise<OpenedProject> {
    const { document } = await readProjectFile(this.o.sampleFile, this.o.library.ids());
    return { path: null, baseDir: path.dirname(this.o.sampleFile), document, migratedFrom: null };
  }

  async save(request: SaveRequest): Promise<OpenedProject> {
    requireObject(request, 'save request');
    let target = path.resolve(requireString(request.path, 'path'));
    if (path.extname(target) === '') target += PROJECT_FILE_EXTENSION;
    target = await this.o.access.writable(target, 'path', 'project');
    const baseDir = await this.o.access.readable(requireString(request.baseDir, 'baseDir'), 'baseDir');
    const targetDir = path.dirname(target);
    const document = requireObject<ProjectDocument>(request.document, 'document');
    // Save As copies the models it names into the new folder: none may come from outside.
    await checkProjectModels(this.o.access, { document, baseDir }, 'save request');
    // Into another folder: the folder gets copies of the model files it does not hold yet.
    const { document: gathered, copied } = path.resolve(baseDir) === path.resolve(targetDir) ? { document, copied: [] } : await gatherModels(document, baseDir, targetDir, this.copyProgress(target));
    const saved = await writeProjectFile(target, gathered, this.o.library.ids());
    await this.o.state.touchRecent(target, saved.name);
    return { path: target, baseDir: targetDir, document: saved, migratedFrom: null, ...(copied.length ? { copied } : {}) };
  }

  /** Save As progress as events, at most ten a second (and the last one). */
  private copyProgress(target: string): (progress: CopyProgress) => void {
    let last = 0;
    return (progress) => {
      const now = Date.now();
      if (now - last < 100 && progress.copiedBytes < progress.totalBytes) return;
      last = now;
      this.o.publish?.({ type: 'project.saveProgress', path: target, ...progress });
    };
  }

  async validate(document: unknown): Promise<ValidationProblem[]> {
    const result = validateProject(document, this.o.library.ids());
    return result.ok ? [] : result.problems;
  }

  async startCheck(project: { document: ProjectDocument; baseDir: string }): Promise<string> {
    requireObject(project, 'project');
    const baseDir = await this.o.access.readable(requireString(project.baseDir, 'baseDir'), 'baseDir');
    const models = requireObject<ProjectDocument>(project.document, 'document').models;
    if (!Array.isArray(models)) throw new InvalidRequestError('document.models: expected a list of model references.');
    // The check hashes every file: nothing outside the project's folder and the workspace.
    await checkProjectModels(this.o.access, { document: project.document, baseDir }, 'project');
    const title = `Check model files of "${project.document.name}"`;
    return this.o.pool.start('project.check', { models, baseDir }, { title }).id;
  }

  async recent(): Promise<RecentProject[]> {
    const all = await this.o.state.recent();
    if (this.o.access.root === null) return all;
    // The list is shared with the desktop window; a confined host shows only what lies inside.
    const shown = await Promise.all(all.map((r) => this.o.access.visible(r.path)));
    return all.filter((_, i) => shown[i]);
  }

  forgetRecent(filePath: string): Promise<void> {
    return this.o.state.forgetRecent(requireString(filePath, 'path'));
  }

  writeRecovery(snapshot: RecoverySnapshot): Promise<void> {
    requireObject(snapshot, 'snapshot');
    requireObject(snapshot.document, 'snapshot.document');
    return this.o.state.writeRecovery({ ...snapshot, savedAt: Date.now() });
  }

  readRecovery(): Promise<RecoverySnapshot | null> {
    return this.o.state.readRecovery();
  }

  clearRecovery(): Promise<void> {
    return this.o.state.clearRecovery();
  }
}
