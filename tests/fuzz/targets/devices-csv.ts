/**
 * The devices CSV importer: `importDevicesCsv` never throws; it returns devices and row errors.
 * Each row error is one line naming its line number, and the devices it accepts, added to the
 * project with their new sites, give a project that validates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exportDevicesCsv, importDevicesCsv, type TypeDefaults } from '../../../src-main/common/csv/devices-csv';
import type { ProjectDocument } from '../../../src-main/common/project/schema';
import { validateProject } from '../../../src-main/common/project/validate';
import type { FuzzTarget } from '../runner';
import { mutateText } from '../mutate';
import { textCodec } from './text';

const resourcesDir = path.resolve(import.meta.dirname, '../../../resources');
const deviceTypes = readdirSync(path.join(resourcesDir, 'devices'))
  .filter((n) => n.endsWith('.json'))
  .map((n) => n.replace(/\.json$/, ''));
const sample = JSON.parse(readFileSync(path.join(resourcesDir, 'sample', 'sample.joule'), 'utf8')) as ProjectDocument;
const defaults = (type: string): TypeDefaults | null => (deviceTypes.includes(type) ? { ramMB: 4096, storageGB: 32, radio: 'wifi', uplinkMbps: 100 } : null);

export const devicesCsvTarget: FuzzTarget<string> = {
  name: 'devices-csv',
  extension: 'csv',
  async seeds() {
    return [
      { name: 'sample-export', input: exportDevicesCsv(sample) },
      {
        name: 'hosts-and-quotes',
        input: [
          'name,type,site,power,powerState,wakeUpJ,host,hostCpuMs,notes',
          'Gateway,raspberry-pi-4,Harbour gate,mains,may-sleep,30,,,"a ""quoted"", note"',
          'Stick,raspberry-pi-4,"New, site",mains,,,Gateway,2.5,"two\nlines"',
          'Cam,jetson-nano-5w,Depot,battery,,,,,',
        ].join('\r\n'),
      },
      { name: 'minimal', input: 'name,type,site\nA,coral-dev-board,Roof\n' },
    ];
  },
  mutate: (seed, rng, donor) => mutateText(seed, rng, donor),
  async run(input) {
    const document = structuredClone(sample);
    const result = importDevicesCsv(input, document, defaults);
    for (const e of result.errors) {
      if (/[\n\r]/.test(e.message) || e.message.length > 2000) return `row error on line ${e.line} is not one line: ${JSON.stringify(e.message.slice(0, 200))}`;
      if (!Number.isInteger(e.line) || e.line < 0) return `row error with line ${e.line}`;
    }
    const merged = { ...document, sites: [...document.sites, ...result.newSites], devices: [...document.devices, ...result.devices] };
    const checked = validateProject(merged, deviceTypes);
    if (!checked.ok) return `imported devices make an invalid project: ${checked.problems.slice(0, 2).map((p) => `${p.path}: ${p.message}`).join('; ')}`;
  },
  namesCulprit: () => true,
  ...textCodec,
};
