/**
 * The project loader: `parseProject` (JSON, migration from schema 0..4, validation) on mutated
 * projects, and what it accepts must survive a save and a re-read (`serializeProject` then
 * `parseProject` again). Seeds: the sample project, the sample as schema 4 wrote it, a schema 0
 * draft and a schema 1 skeleton.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseProject, serializeProject } from '../../../src-main/core/project/project-file';
import type { FuzzTarget } from '../runner';
import { mutateJsonText, namesJsonField, textCodec } from './text';

const resourcesDir = path.resolve(import.meta.dirname, '../../../resources');
const deviceTypes = readdirSync(path.join(resourcesDir, 'devices'))
  .filter((n) => n.endsWith('.json'))
  .map((n) => n.replace(/\.json$/, ''));
const SOURCE = 'fuzz.joule';

interface SampleV5 {
  links: unknown;
  placement: Record<string, unknown>;
  sites: Record<string, unknown>[];
  devices: Record<string, unknown>[];
}

function sampleV4(v5: SampleV5): Record<string, unknown> {
  const { links: _links, ...rest } = v5;
  const { utilizationLimit: _limit, ...placement } = v5.placement;
  return {
    ...rest,
    schemaVersion: 4,
    sites: v5.sites.map(({ lan: _lan, ...site }: Record<string, unknown>) => site),
    devices: v5.devices.filter((d: { host?: unknown }) => !d.host).map(({ notes: _notes, ...d }: Record<string, unknown>) => d),
    placement,
  };
}

export const projectTarget: FuzzTarget<string> = {
  name: 'project',
  extension: 'joule',
  async seeds() {
    const sample = readFileSync(path.join(resourcesDir, 'sample', 'sample.joule'), 'utf8');
    const v0 = {
      name: 'Old fleet',
      devices: [
        { id: 'a', name: 'Cam A', type: 'jetson-nano-5w', site: 'North Gate', count: 2, ramMB: 4096, storageGB: 16, budgetWhPerDay: 50, uplinkMbps: 10, radio: 'lte' },
        { id: 'b', name: 'Cam B', type: 'coral-dev-board', site: 'North Gate', count: 1, ramMB: 1024, storageGB: 8, batteryWh: 40, uplinkMbps: 5, radio: 'wifi' },
        { id: 'c', name: 'Hub', type: 'jetson-xavier-nx', site: 'Depot', count: 1, ramMB: 8192, storageGB: 16, uplinkMbps: 100, radio: 'ethernet' },
      ],
    };
    return [
      { name: 'sample.joule', input: sample },
      { name: 'sample-v4', input: JSON.stringify(sampleV4(JSON.parse(sample)), null, 2) },
      { name: 'draft-v0', input: JSON.stringify(v0, null, 2) },
      { name: 'skeleton-v1', input: JSON.stringify({ schemaVersion: 1, name: 'x', sites: [], devices: [], models: [], budgets: [] }) },
    ];
  },
  mutate: mutateJsonText,
  async run(input) {
    const { document } = parseProject(input, SOURCE, deviceTypes);
    try {
      parseProject(serializeProject(document), SOURCE, deviceTypes);
    } catch (error) {
      return `a project that loaded does not load again after a save: ${(error as Error).message.slice(0, 200)}`;
    }
  },
  namesCulprit: (message) => message.includes(SOURCE) || namesJsonField(message),
  ...textCodec,
};
