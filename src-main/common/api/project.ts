/** Project files: open, save, validate, recover, check model files. */
import type { ProjectDocument } from '../project/schema';
import type { ValidationProblem } from '../validation';

/** A project as the window holds it. */
export interface OpenedProject {
  /** Absolute path of the `.joule` file; null for a project never saved (new, or from a template). */
  path: string | null;
  /** Directory that model paths are relative to: the file's folder, or the template's. */
  baseDir: string;
  document: ProjectDocument;
  /** Schema version the file had on disk when a migration upgraded it, else null. */
  migratedFrom: number | null;
  /** After Save As into another folder: the model files copied into it (relative paths). */
  copied?: string[];
}

export interface SaveRequest {
  /** Where to write. Model paths are rebased when the folder differs from `baseDir`. */
  path: string;
  baseDir: string;
  document: ProjectDocument;
}

export interface RecentProject {
  path: string;
  name: string;
  /** Epoch milliseconds of the last open or save. */
  openedAt: number;
  exists: boolean;
}

/** Unsaved work written in the background, offered back after a crash. */
export interface RecoverySnapshot {
  path: string | null;
  baseDir: string;
  document: ProjectDocument;
  /** Epoch milliseconds. */
  savedAt: number;
}

export type ModelFileStatus = 'ok' | 'missing' | 'size-mismatch' | 'sha256-mismatch' | 'unreadable';

export interface ModelFileReport {
  modelId: string;
  label: string;
  /** As written in the project. */
  path: string;
  absolutePath: string;
  status: ModelFileStatus;
  expectedSizeBytes: number;
  actualSizeBytes: number | null;
  expectedSha256: string;
  actualSha256: string | null;
  /** One sentence saying what is wrong, or that the file is fine. */
  message: string;
}

export interface ProjectCheckReport {
  ok: boolean;
  files: ModelFileReport[];
}

export interface ProjectApi {
  /** An empty untitled project whose models resolve against `baseDir` (the user's documents by default). */
  create(): Promise<OpenedProject>;
  /** Reads, migrates and validates a `.joule` file; throws ProjectFileError naming each bad JSON path. */
  open(path: string): Promise<OpenedProject>;
  /** As `open`, without adding the file to the recent list (scripts and the CLI read projects this way). */
  read(path: string): Promise<OpenedProject>;
  /** The sample project from the app's resources, as an unsaved copy. */
  openSample(): Promise<OpenedProject>;
  /** Atomic save (temp file, fsync, rename, one `.bak`); returns the project as saved. */
  save(request: SaveRequest): Promise<OpenedProject>;
  /** Problems of a document (schema, references, device types), empty when valid. */
  validate(document: unknown): Promise<ValidationProblem[]>;
  /** Starts a job that verifies every model file the project references; returns the job id. */
  startCheck(project: { document: ProjectDocument; baseDir: string }): Promise<string>;
  recent(): Promise<RecentProject[]>;
  forgetRecent(path: string): Promise<void>;
  writeRecovery(snapshot: RecoverySnapshot): Promise<void>;
  readRecovery(): Promise<RecoverySnapshot | null>;
  clearRecovery(): Promise<void>;
}
