/**
 * The project rules about the fleet's power and network that one field cannot check alone:
 * accelerator rows and their host rows, power states and wake-up energy, links between sites.
 * Each problem is a JSON path and a sentence fragment that reads after it.
 */
import type { PowerState } from '../placement/power';

/** The parts of a project these rules read (structural, so the schema can call them). */
interface ProjectShape {
  sites: { id: string }[];
  links?: { id: string; siteA: string; siteB: string }[];
  devices: {
    id: string;
    siteId: string;
    count: number;
    power: 'mains' | 'daily-budget' | 'battery';
    energyWh: number | null;
    powerState?: PowerState;
    wakeUpJ?: number;
    host?: { deviceId: string };
  }[];
}

export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

/** The power state of a device row's nodes: as given, else always-on on mains and may-sleep on a battery or a daily budget. */
export function devicePowerState(device: { power: string; powerState?: PowerState }): PowerState {
  return device.powerState ?? (device.power === 'mains' ? 'always-on' : 'may-sleep');
}

export function checkFleetRules(project: ProjectShape): RuleProblem[] {
  const out: RuleProblem[] = [];
  const issue = (path: (string | number)[], message: string) => out.push({ path, message });
  const rows = new Map(project.devices.map((d, i) => [d.id, { device: d, index: i }]));
  const attached = new Map<string, number>();

  project.devices.forEach((device, index) => {
    const at = (field: string) => ['devices', index, field];
    if (!device.host) {
      if (device.wakeUpJ !== undefined && devicePowerState(device) === 'always-on') {
        issue(at('wakeUpJ'), 'is only spent by a device that may sleep; set powerState to "may-sleep" or remove it');
      }
      return;
    }
    const hostAt = ['devices', index, 'host', 'deviceId'];
    const row = rows.get(device.host.deviceId);
    if (!row) return issue(hostAt, `refers to device row "${device.host.deviceId}", which the project does not have`);
    const host = row.device;
    if (host.id === device.id) return issue(hostAt, 'names the accelerator row itself; give the row of the computers it is plugged into');
    if (host.host) issue(hostAt, `refers to device row "${host.id}", which is an accelerator itself`);
    if (host.siteId !== device.siteId) issue(hostAt, `refers to device row "${host.id}" at site "${host.siteId}", but the accelerators are at site "${device.siteId}"`);
    const used = (attached.get(host.id) ?? 0) + device.count;
    attached.set(host.id, used);
    if (used > host.count) {
      const free = Math.max(0, host.count - (used - device.count));
      issue(['devices', index, 'count'], `is ${device.count}, but host row "${host.id}" has ${free} node${free === 1 ? '' : 's'} left without an accelerator (one accelerator per host)`);
    }
    if (device.power !== host.power) issue(at('power'), `must be "${host.power}" like its host row "${host.id}": an accelerator draws from its host's supply`);
    if (device.energyWh !== null) issue(at('energyWh'), `must be null: an accelerator shares the energy of its host row "${host.id}"`);
    if (device.powerState !== undefined) issue(at('powerState'), `must be left out: an accelerator sleeps and wakes with its host row "${host.id}"`);
    if (device.wakeUpJ !== undefined) issue(at('wakeUpJ'), `must be left out: an accelerator wakes with its host row "${host.id}"`);
  });

  const siteIds = new Set(project.sites.map((s) => s.id));
  const ids = new Map<string, number>();
  const pairs = new Map<string, number>();
  project.links?.forEach((link, index) => {
    const first = ids.get(link.id);
    if (first !== undefined) issue(['links', index, 'id'], `duplicates the id "${link.id}" of links[${first}]`);
    else ids.set(link.id, index);
    for (const end of ['siteA', 'siteB'] as const) {
      if (!siteIds.has(link[end])) issue(['links', index, end], `refers to site "${link[end]}", which the project does not have`);
    }
    if (link.siteA === link.siteB) issue(['links', index, 'siteB'], `is the same site as siteA; a site's own network is its "lan"`);
    const key = [link.siteA, link.siteB].sort().join('\u0000');
    const twin = pairs.get(key);
    if (twin !== undefined) issue(['links', index], `joins the same two sites as links[${twin}]; give one link per pair of sites`);
    else pairs.set(key, index);
  });
  return out;
}
