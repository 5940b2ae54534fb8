/**
 * Turns a DEVICE argument into an energy profile: a library id, a built-in profile (`eyeriss`,
 * `cloud-t4`, `host`), or a path to a profile JSON file (validated like the library's).
 * The `host` profile is measured once on this machine and cached in the data folder.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { JouleError } from '../../common/errors';
import { invalidJsonMessage } from '../../common/json-position';
import { deviceProfileSchema, type Precision } from '../../common/devices/profile';
import { parseWith, problemToSentence } from '../../common/validation';
import { writeFileAtomic } from '../io/atomic-write';
import { readRegularText, UnreadableFileError } from '../io/regular-file';
import { BUILTIN_PROFILES, HOST_PROFILE_ID } from './builtin-profiles';
import type { DeviceLibrary } from './device-library';
import type { EnergyProfile } from './device-kind';
import { libraryMemoryEnergy } from './library-method';

export interface ProfileSources {
  library: DeviceLibrary;
  /** Where the measured host profile is cached. */
  dataDir: string;
}


export function hostProfileFile(dataDir: string): string {
  return path.join(dataDir, 'host-profile.json');
}

/**
 * Reads the cached host profile, measuring and caching it first when missing (takes seconds).
 * The cache holds measurements; the memory energies follow the current library method, so a
 * profile cached by an older Joule is charged like the library devices.
 */
export async function hostProfile(dataDir: string, options: { remeasure?: boolean } = {}): Promise<EnergyProfile> {
  const file = hostProfileFile(dataDir);
  if (!options.remeasure && existsSync(file)) {
    const cached = await readProfileFile(file);
    return { ...cached, energy: { ...cached.energy, ...libraryMemoryEnergy() } };
  }
  // onnxruntime loads only when this machine is measured, not for every library device.
  const { measureHostProfile } = await import('./host-profile');
  const profile = await measureHostProfile({ threads: 1 });
  await fs.mkdir(dataDir, { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(profile, null, 2)}\n`, { backup: false });
  return profile;
}

export async function readProfileFile(file: string): Promise<EnergyProfile> {
  let text: string;
  try {
    text = await readRegularText(file, 'profile');
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new JouleError(`Cannot read the device profile ${file}: ${error.why}.`);
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new JouleError(invalidJsonMessage(text, `The device profile ${file}`));
  }
  const { extensions, ...rest } = (data ?? {}) as Record<string, unknown>;
  const parsed = parseWith(deviceProfileSchema, rest);
  if (!parsed.ok) throw new JouleError(`Device profile ${file} is invalid: ${parsed.problems.map(problemToSentence).join('; ')}.`);
  return extensions === undefined ? parsed.value : { ...parsed.value, extensions: extensions as EnergyProfile['extensions'] };
}

/** The device's fastest float precision, or its only one (int8 on the Coral). */
export function defaultPrecision(profile: EnergyProfile): Precision {
  return profile.precisions.includes('fp16') ? 'fp16' : profile.precisions.includes('fp32') ? 'fp32' : profile.precisions[0];
}

export async function resolveProfile(id: string, sources: ProfileSources): Promise<EnergyProfile> {
  if (id === HOST_PROFILE_ID) return hostProfile(sources.dataDir);
  const builtin = BUILTIN_PROFILES[id];
  if (builtin) return builtin();
  if (sources.library.ids().includes(id)) return sources.library.get(id);
  if (id.endsWith('.json')) return readProfileFile(path.resolve(id));
  const known = [...sources.library.ids(), ...Object.keys(BUILTIN_PROFILES), HOST_PROFILE_ID].join(', ');
  throw new JouleError(`Unknown device "${id}"; use one of ${known}, or a profile .json file.`);
}
