/**
 * Which files a host lets its callers touch, as a policy object the services consult for every
 * path that arrives in a request. The desktop window and the CLI act for the person at the
 * keyboard and get `fullAccess`. The browser host answers anyone holding its token and gets
 * `confinedAccess(root)`: every path is resolved to its real path (symlinks followed; for a file
 * that does not exist yet, the real path of its nearest existing folder) and must lie inside the
 * workspace root, or inside a read-only folder such as the app's own resources for reading.
 *
 * @example
 * const access = confinedAccess({ root: '/home/ana/Documents', readOnly: [resourcesDir] });
 * await access.readable('/etc/passwd', 'path'); // throws AccessDeniedError naming the path and the root
 */
import { promises as fs, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ModelSource } from '../common/api/models';
import type { DatasetChoice } from '../common/api/training';
import { deviceIdSchema } from '../common/devices/profile';
import { AccessDeniedError, InvalidRequestError } from '../common/errors';
import { printable } from '../common/printable';
import type { ProjectDocument } from '../common/project/schema';

/** What a written path is: its extension is checked against the kind in a confined host. */
export type WriteKind = 'project' | 'model' | 'problem' | 'folder';

const writeExtensions: Record<WriteKind, readonly string[] | null> = {
  project: ['.joule'],
  model: ['.onnx'],
  problem: ['.json'],
  folder: null,
};

export interface FileAccess {
  /** The workspace root (a real path) when access is confined; null for full access. */
  readonly root: string | null;
  /** The path to read (a file or a folder) as the service should use it; refuses one outside. */
  readable(p: string, field: string): Promise<string>;
  /** The path to write (a file of `kind`, or a folder), as the service should use it; refuses one outside. */
  writable(p: string, field: string, kind: WriteKind): Promise<string>;
  /** Refuses a project's model path that leads outside the project's folder and the workspace. */
  projectModel(baseDir: string, modelPath: string, field: string): Promise<void>;
  /** A device type id as the service should use it; a confined host takes plain library ids only, never a profile file. */
  deviceId(id: string, field: string): string;
  /** True when `p` may be shown to the caller (the recent-projects list leaves the others out). */
  visible(p: string): Promise<boolean>;
}

/** The desktop window and the CLI: every path as given, resolved against the working folder. */
export const fullAccess: FileAccess = {
  root: null,
  readable: async (p) => path.resolve(p),
  writable: async (p) => path.resolve(p),
  projectModel: async () => {},
  deviceId: (id) => id,
  visible: async () => true,
};

export interface ConfinedAccessOptions {
  /** The workspace root: an existing folder. */
  root: string;
  /** Folders that may be read but not written (the app's resources: the sample project, shipped models). */
  readOnly?: readonly string[];
}

const within = (dir: string, file: string): boolean => {
  const rel = path.relative(dir, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
};

/**
 * The real path of `absolute`: of the path itself when it exists, else of its nearest existing
 * folder with the missing names appended. A dangling symlink on the way is refused: whatever
 * is created through it would land where the link points.
 */
async function realOrNearest(absolute: string, field: string): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new AccessDeniedError(`${field}: ${shown(absolute)} cannot be resolved (${code ?? 'error'}).`);
      const link = await fs.lstat(current).catch(() => null);
      if (link?.isSymbolicLink()) throw new AccessDeniedError(`${field}: ${shown(current)} is a link to a place that does not exist; Joule does not write through it.`);
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** A path as a message quotes it: printable, and cut in the middle past 200 characters (a request may send megabytes). */
const shown = (p: string) => JSON.stringify(printable(p.length > 200 ? `${p.slice(0, 140)}...${p.slice(-50)}` : p));

/**
 * Access confined to `root` (read and write) and the `readOnly` folders (read). Paths are compared
 * as real paths, so a symlink inside the root that points out is outside.
 */
export function confinedAccess(options: ConfinedAccessOptions): FileAccess {
  const root = realFolder(options.root, 'The workspace root');
  const readOnly = (options.readOnly ?? []).flatMap((dir) => {
    try {
      return [realpathSync(dir)];
    } catch {
      return [];
    }
  });
  const refuse = (field: string, p: string, what = 'is outside the workspace'): never => {
    throw new AccessDeniedError(`${field}: ${shown(p)} ${what} ${root}; the browser host reads and writes only inside it (choose another with "joule serve --root DIR").`);
  };
  const readableReal = async (p: string, field: string): Promise<string> => {
    const real = await realOrNearest(path.resolve(p), field);
    if (within(root, real) || readOnly.some((dir) => within(dir, real))) return real;
    return refuse(field, p);
  };
  return {
    root,
    readable: readableReal,
    async writable(p, field, kind) {
      const extensions = writeExtensions[kind];
      if (extensions && !extensions.includes(path.extname(p).toLowerCase())) {
        throw new AccessDeniedError(`${field}: ${shown(p)} is not a ${extensions.join(' or ')} file; the browser host writes a ${kind} only under that extension.`);
      }
      const real = await realOrNearest(path.resolve(p), field);
      if (!within(root, real)) return refuse(field, p);
      return real;
    },
    async projectModel(baseDir, modelPath, field) {
      const realBase = await readableReal(baseDir, `${field} (the project's folder)`);
      const real = await realOrNearest(path.isAbsolute(modelPath) ? path.normalize(modelPath) : path.resolve(realBase, ...modelPath.split('/')), field);
      if (!within(realBase, real) && !within(root, real)) {
        throw new AccessDeniedError(`${field}: the model path ${shown(modelPath)} leads outside the project's folder ${realBase} and the workspace ${root}.`);
      }
    },
    deviceId(id, field) {
      if (!deviceIdSchema.safeParse(id).success) {
        throw new AccessDeniedError(`${field}: ${shown(id)} is not a device type id (lower-case letters, digits and dashes); the browser host reads no profile files.`);
      }
      return id;
    },
    async visible(p) {
      try {
        return within(root, await realOrNearest(path.resolve(p), 'path'));
      } catch {
        return false;
      }
    },
  };
}

function realFolder(dir: string, what: string): string {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    throw new InvalidRequestError(`${what} ${dir} does not exist.`);
  }
  if (!statSync(real).isDirectory()) throw new InvalidRequestError(`${what} ${dir} is not a folder.`);
  return real;
}

/** A model source with its file checked: a project model inside the project's folder or the workspace. */
export async function checkedModelSource<T extends ModelSource>(access: FileAccess, source: T, field: string): Promise<T> {
  if ('zoo' in source) return source;
  await access.projectModel(source.baseDir, source.path, `${field}.path`);
  return source;
}

/** A MODEL argument (`zoo:NAME` or a file path), the file readable. */
export async function checkedModelSpec(access: FileAccess, spec: string, field: string): Promise<string> {
  return spec.startsWith('zoo:') ? spec : access.readable(spec, field);
}

/** A dataset choice: a packaged dataset's name, or a readable image folder. */
export async function checkedDataset<T extends DatasetChoice>(access: FileAccess, choice: T, field: string): Promise<T> {
  if (typeof choice === 'object' && choice !== null) return { ...choice, folder: await access.readable(String(choice.folder), `${field}.folder`) };
  return choice;
}

/** Every model file a project names (its models and its compression options) inside its folder or the workspace. */
export async function checkProjectModels(access: FileAccess, project: { document: ProjectDocument; baseDir: string }, field: string): Promise<void> {
  if (access.root === null) return;
  const models = Array.isArray(project.document.models) ? project.document.models : [];
  for (const [i, model] of models.entries()) await access.projectModel(project.baseDir, String(model?.path), `${field}.document.models[${i}].path`);
  const runs = Array.isArray(project.document.compression?.runs) ? project.document.compression.runs : [];
  for (const [r, run] of runs.entries()) {
    const options = Array.isArray(run?.options) ? run.options : [];
    for (const [o, option] of options.entries()) await access.projectModel(project.baseDir, String(option?.path), `${field}.document.compression.runs[${r}].options[${o}].path`);
  }
}

/** File types the window may upload into a project's models folder. */
export const UPLOAD_EXTENSIONS = ['.onnx', '.json', '.png', '.jpg', '.jpeg', '.bmp', '.gif', '.webp'] as const;

/** An uploaded file's name: a plain name (no folders) with one of `UPLOAD_EXTENSIONS`. */
export function checkedUploadName(name: string, field: string): string {
  if (name !== path.basename(name) || name.includes('/') || name.includes('\\') || name === '.' || name === '..' || name.startsWith('.')) {
    throw new AccessDeniedError(`${field}: ${shown(name)} is not a plain file name.`);
  }
  if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase())) {
    throw new AccessDeniedError(`${field}: ${shown(name)} is not a file Joule keeps; uploads may be ${UPLOAD_EXTENSIONS.join(', ')}.`);
  }
  return name;
}
