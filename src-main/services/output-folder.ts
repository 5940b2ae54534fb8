/** Checks of where a long job will write, made before the job starts rather than after an hour of work. */
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidRequestError } from '../common/errors';

/**
 * Makes sure `folder` exists (creating it and its missing parents) and this process can write in
 * it. Training and pruning noticed a missing or read-only output folder only when they wrote their
 * result, after the whole run (issue 14). `field` names the request field in the message.
 */
export async function prepareOutputFolder(folder: string, field: string): Promise<void> {
  let existing = path.resolve(folder);
  for (;;) {
    const stat = await fs.stat(existing).catch(() => null);
    if (stat) {
      if (!stat.isDirectory()) throw new InvalidRequestError(`${field}: ${existing} is a file, not a folder, so the output folder ${folder} cannot be made.`);
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    await fs.access(existing, constants.W_OK);
  } catch {
    throw new InvalidRequestError(`${field}: the folder ${existing} is not writable, so the result could not be saved in ${folder}; choose another output folder.`);
  }
  await fs.mkdir(folder, { recursive: true });
}

/** `prepareOutputFolder` for the folder of an output file, refusing a path that is a folder itself. */
export async function prepareOutputFile(file: string, field: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => null);
  if (stat?.isDirectory()) throw new InvalidRequestError(`${field}: ${file} is a folder; give the path of the .onnx file to write.`);
  await prepareOutputFolder(path.dirname(file), field);
}
