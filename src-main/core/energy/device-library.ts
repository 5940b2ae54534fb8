/** Loads and validates the device library, `resources/devices/*.json`. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DeviceLibraryError, NotFoundError } from '../../common/errors';
import { deviceProfileSchema, summarizeProfile, type DeviceProfile, type DeviceTypeSummary } from '../../common/devices/profile';
import { describeValue, parseWith, problemToSentence } from '../../common/validation';

export class DeviceLibrary {
  private constructor(private readonly profiles: ReadonlyMap<string, DeviceProfile>) {}

  /** Reads every `*.json` of `dir`; a bad file fails with its name and the JSON path of each problem. */
  static async load(dir: string): Promise<DeviceLibrary> {
    let names: string[];
    try {
      names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      throw new DeviceLibraryError(`Cannot read the device library folder ${dir}: ${(error as Error).message}.`);
    }
    const profiles = new Map<string, DeviceProfile>();
    for (const name of names) {
      const file = path.join(dir, name);
      let data: unknown;
      try {
        data = JSON.parse(await fs.readFile(file, 'utf8'));
      } catch (error) {
        throw new DeviceLibraryError(`Device profile ${name} is not valid JSON: ${(error as Error).message}.`);
      }
      const parsed = parseWith(deviceProfileSchema, data);
      if (!parsed.ok) {
        throw new DeviceLibraryError(`Device profile ${name} is invalid: ${parsed.problems.map(problemToSentence).join('; ')}.`);
      }
      const expectedName = `${parsed.value.id}.json`;
      if (name !== expectedName) {
        throw new DeviceLibraryError(`Device profile ${name} has id "${parsed.value.id}"; rename the file to ${expectedName}.`);
      }
      profiles.set(parsed.value.id, parsed.value);
    }
    return new DeviceLibrary(profiles);
  }

  ids(): string[] {
    return [...this.profiles.keys()];
  }

  get(id: string): DeviceProfile {
    const profile = this.profiles.get(id);
    if (!profile) throw new NotFoundError(`Unknown device type ${describeValue(id)}; the library has ${this.ids().join(', ')}.`);
    return profile;
  }

  summaries(): DeviceTypeSummary[] {
    return [...this.profiles.values()].map(summarizeProfile).sort((a, b) => a.name.localeCompare(b.name));
  }
}
