/** Reading and writing `.joule` files: parse, migrate, validate, atomic save. */
import path from 'node:path';
import { ProjectFileError } from '../../common/errors';
import { invalidJsonMessage } from '../../common/json-position';
import { validateProject } from '../../common/project/validate';
import { CURRENT_SCHEMA_VERSION, type ProjectDocument } from '../../common/project/schema';
import { problemToSentence } from '../../common/validation';
import { writeFileAtomic } from '../io/atomic-write';
import { readRegularText, UnreadableFileError } from '../io/regular-file';
import { migrateProject } from './migrate';

export interface ReadProject {
  document: ProjectDocument;
  /** The file's schema version when a migration upgraded it, else null. */
  migratedFrom: number | null;
}

/** Parses and validates project JSON text; `source` names the file in messages. */
export function parseProject(text: string, source: string, deviceTypes: readonly string[] | null): ReadProject {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text; a file that is not a project may be anything.
    throw new ProjectFileError(invalidJsonMessage(text, source));
  }
  let migrated;
  try {
    migrated = migrateProject(data);
  } catch (error) {
    if (error instanceof ProjectFileError) throw new ProjectFileError(`${source}: ${error.message}`, error.problems);
    throw error;
  }
  const result = validateProject(migrated.data, deviceTypes);
  if (!result.ok) {
    const count = result.problems.length;
    const shown = result.problems.slice(0, 3).map(problemToSentence).join('; ');
    const more = count > 3 ? `; and ${count - 3} more` : '';
    throw new ProjectFileError(`${source} has ${count} problem${count > 1 ? 's' : ''}: ${shown}${more}.`, result.problems);
  }
  return { document: result.document, migratedFrom: migrated.fromVersion < CURRENT_SCHEMA_VERSION ? migrated.fromVersion : null };
}

export async function readProjectFile(filePath: string, deviceTypes: readonly string[] | null): Promise<ReadProject> {
  let text: string;
  try {
    text = await readRegularText(filePath, 'project');
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ProjectFileError(`Cannot open ${filePath}: ${error.why}.`);
    throw error;
  }
  return parseProject(text, path.basename(filePath), deviceTypes);
}

export function serializeProject(document: ProjectDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Validates, then writes atomically with a `.bak` of the previous version. */
export async function writeProjectFile(filePath: string, document: ProjectDocument, deviceTypes: readonly string[] | null): Promise<ProjectDocument> {
  const result = validateProject(document, deviceTypes);
  if (!result.ok) {
    const shown = result.problems.slice(0, 3).map(problemToSentence).join('; ');
    throw new ProjectFileError(`Not saved: the project has ${result.problems.length} problem(s): ${shown}.`, result.problems);
  }
  try {
    await writeFileAtomic(filePath, serializeProject(result.document));
  } catch (error) {
    throw new ProjectFileError(`Could not save ${filePath}: ${(error as Error).message}. The previous version is untouched.`);
  }
  return result.document;
}
