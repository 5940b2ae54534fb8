/**
 * Edits of the project document as pure functions (old document in, new document out), so the
 * store can record each one for undo and the tests can check them without a window.
 */
import type { DeviceTypeSummary } from '../../../src-main/common/devices/profile';
import { idFromName, nextId } from '../../../src-main/common/project/ids';
import { CLOUD_NODE_ID, type Device, type ModelRef, type PlacementResult, type PlacementSettings, type ProjectCloud, type ProjectDocument, type Site, type Workload } from '../../../src-main/common/project/schema';
import type { DeviceCsvImport } from '../../../src-main/common/csv/devices-csv';
import type { CellValue } from './cell-value';
import { withoutWakeUpIfAlwaysOn } from './power-edits';

/** Fields the table edits in place and the bulk editor can set on many rows at once. */
export const editableFields = ['name', 'type', 'siteId', 'count', 'ramMB', 'storageGB', 'power', 'energyWh', 'uplinkMbps', 'radio'] as const;
export type EditableField = (typeof editableFields)[number];

export type { CellValue } from './cell-value';

/** A new row for a device type, with the type's RAM, storage and best radio as defaults. */
/**
 * A new inventory row of `type` at `siteId`: named "New <type>" (numbered when taken), with the
 * type's RAM and storage, on mains, and the uplink the site's rows have (their median; else the
 * type's, at most 100 Mb/s: a radio's peak is rarely what a site's link gives).
 */
export function newDevice(document: ProjectDocument, type: DeviceTypeSummary, siteId: string): Device {
  const taken = document.devices.map((d) => d.id);
  const names = new Set(document.devices.map((d) => d.name));
  let name = `New ${type.name}`;
  for (let n = 2; names.has(name); n++) name = `New ${type.name} ${n}`;
  const uplinks = document.devices.filter((d) => d.siteId === siteId && typeof d.uplinkMbps === 'number' && d.uplinkMbps > 0).map((d) => d.uplinkMbps).sort((a, b) => a - b);
  return {
    id: nextId('dev', taken),
    name,
    type: type.id,
    siteId,
    count: 1,
    ramMB: type.ramMB,
    storageGB: type.storageGB,
    power: 'mains',
    energyWh: null,
    uplinkMbps: uplinks.length ? uplinks[Math.floor(uplinks.length / 2)] : Math.min(100, type.maxUplinkMbps),
    radio: type.radios[0] ?? 'none',
  };
}

export function addDevice(document: ProjectDocument, device: Device): ProjectDocument {
  return { ...document, devices: [...document.devices, device] };
}

/** Copies of the rows, each placed right after its original, named "... (copy)". */
export function duplicateDevices(document: ProjectDocument, ids: readonly string[]): ProjectDocument {
  const wanted = new Set(ids);
  const taken = document.devices.map((d) => d.id);
  const devices: Device[] = [];
  for (const device of document.devices) {
    devices.push(device);
    if (!wanted.has(device.id)) continue;
    const id = nextId('dev', taken);
    taken.push(id);
    devices.push({ ...device, id, name: `${device.name} (copy)` });
  }
  return { ...document, devices };
}

/** Removes rows; accelerators plugged into a removed row are unplugged (they stay, on their own). */
export function deleteDevices(document: ProjectDocument, ids: readonly string[]): ProjectDocument {
  const doomed = new Set(ids);
  const devices = document.devices
    .filter((d) => !doomed.has(d.id))
    .map((d) => {
      if (!d.host || !doomed.has(d.host.deviceId)) return d;
      const { host: _unplugged, ...alone } = d;
      return alone;
    });
  return withoutStalePlacement({ ...document, devices });
}

/**
 * Drops the accepted placement once it names a node or workload the project no longer has
 * (a deleted device row, a smaller count): it no longer describes this fleet.
 */
export function withoutStalePlacement(document: ProjectDocument): ProjectDocument {
  const result = document.placement.result;
  if (!result) return document;
  const counts = new Map(document.devices.map((d) => [d.id, typeof d.count === 'number' ? d.count : 0]));
  const workloads = new Set(document.workloads.map((w) => w.id));
  const stale = Object.entries(result.assignment).some(([workload, node]) => {
    if (node === CLOUD_NODE_ID) return !workloads.has(workload) || !document.placement.cloud;
    const [device, k] = node.split('#');
    return !workloads.has(workload) || Number(k) > (counts.get(device) ?? 0);
  });
  return stale ? { ...document, placement: { ...document.placement, result: null } } : document;
}

/**
 * Sets one field on the given rows. Switching power to mains clears the energy figure (and the
 * wake-up energy of a row that is then always on); switching a mains row to a budget or battery
 * leaves it empty for the user to fill (validation asks for it). Accelerators plugged into a row
 * follow its site and supply.
 */
export function setField(document: ProjectDocument, ids: readonly string[], field: EditableField, value: CellValue): ProjectDocument {
  const targets = new Set(ids);
  const follows = (d: Device) => (field === 'power' || field === 'siteId') && d.host !== undefined && targets.has(d.host.deviceId);
  return withoutStalePlacement({
    ...document,
    devices: document.devices.map((d) => {
      if (!targets.has(d.id) && !follows(d)) return d;
      if (!targets.has(d.id)) return { ...d, [field]: value } as Device;
      const next = { ...d, [field]: value } as Device;
      if (field === 'power' && value === 'mains') next.energyWh = null;
      return field === 'power' ? withoutWakeUpIfAlwaysOn(next) : next;
    }),
  });
}

export function addSite(document: ProjectDocument, name: string): { document: ProjectDocument; site: Site } {
  const site = { id: idFromName('site', name, new Set(document.sites.map((s) => s.id))), name };
  return { document: { ...document, sites: [...document.sites, site] }, site };
}

export function renameSite(document: ProjectDocument, siteId: string, name: string): ProjectDocument {
  return { ...document, sites: document.sites.map((s) => (s.id === siteId ? { ...s, name } : s)) };
}

/** Removes a site that no device uses, with its links; returns the document unchanged otherwise. */
export function deleteSite(document: ProjectDocument, siteId: string): ProjectDocument {
  if (document.devices.some((d) => d.siteId === siteId)) return document;
  const { links: _old, ...rest } = document;
  const links = document.links?.filter((l) => l.siteA !== siteId && l.siteB !== siteId);
  return { ...rest, sites: document.sites.filter((s) => s.id !== siteId), ...(links?.length ? { links } : {}) };
}

export function applyCsvImport(document: ProjectDocument, imported: DeviceCsvImport, replace: boolean): ProjectDocument {
  return withoutStalePlacement({
    ...document,
    sites: [...document.sites, ...imported.newSites],
    devices: replace ? imported.devices : [...document.devices, ...imported.devices],
  });
}

export interface SiteGroup {
  site: Site | null;
  siteId: string;
  devices: Device[];
  /** Nodes in the group (sum of counts that are valid numbers). */
  nodes: number;
}

/** Rows grouped by site in the project's site order; rows naming an unknown site come last. */
export function groupBySite(document: ProjectDocument): SiteGroup[] {
  const groups = new Map<string, SiteGroup>();
  for (const site of document.sites) groups.set(site.id, { site, siteId: site.id, devices: [], nodes: 0 });
  for (const device of document.devices) {
    let group = groups.get(device.siteId);
    if (!group) {
      group = { site: null, siteId: device.siteId, devices: [], nodes: 0 };
      groups.set(device.siteId, group);
    }
    group.devices.push(device);
    group.nodes += typeof device.count === 'number' ? device.count : 0;
  }
  return [...groups.values()];
}

/** Adds a model reference (from an import job) to the project. */
export function addModel(document: ProjectDocument, ref: ModelRef): ProjectDocument {
  return { ...document, models: [...document.models, ref] };
}

export function removeModel(document: ProjectDocument, id: string): ProjectDocument {
  return { ...document, models: document.models.filter((m) => m.id !== id) };
}

/** Points a model at its file's new place (a project whose models moved). */
export function setModelPath(document: ProjectDocument, id: string, modelPath: string): ProjectDocument {
  return { ...document, models: document.models.map((m) => (m.id === id ? { ...m, path: modelPath } : m)) };
}

/** The shapes of a model's dynamic inputs, as the planner gives them; an empty set removes them. */
export function setModelInputShapes(document: ProjectDocument, id: string, inputShapes: Record<string, number[]>): ProjectDocument {
  return {
    ...document,
    models: document.models.map((m) => {
      if (m.id !== id) return m;
      const { inputShapes: _old, ...rest } = m;
      return Object.keys(inputShapes).length ? { ...rest, inputShapes } : rest;
    }),
  };
}

export function renameModel(document: ProjectDocument, id: string, label: string): ProjectDocument {
  return { ...document, models: document.models.map((m) => (m.id === id ? { ...m, label } : m)) };
}

export const workloadFields = ['label', 'modelId', 'ratePerS', 'sloMs', 'accuracyFloor', 'siteId'] as const;
export type WorkloadField = (typeof workloadFields)[number];

/** A new workload on the project's first model, 10 inferences/s within 100 ms. */
export function addWorkload(document: ProjectDocument, label: string): ProjectDocument {
  const workload: Workload = {
    id: nextId('w', document.workloads.map((w) => w.id)),
    label,
    modelId: document.models[0]?.id ?? '',
    ratePerS: 10,
    sloMs: 100,
    ...(document.sites[0] ? { siteId: document.sites[0].id } : {}),
  };
  return { ...document, workloads: [...document.workloads, workload] };
}

/** Sets one field; an empty optional field (accuracy floor, site) is removed. */
export function setWorkloadField(document: ProjectDocument, id: string, field: WorkloadField, value: CellValue): ProjectDocument {
  return {
    ...document,
    workloads: document.workloads.map((w) => {
      if (w.id !== id) return w;
      const next = { ...w, [field]: value } as Workload & Record<string, unknown>;
      if ((field === 'accuracyFloor' || field === 'siteId') && (value === null || value === '')) delete next[field];
      return next as Workload;
    }),
  };
}

export function deleteWorkloads(document: ProjectDocument, ids: readonly string[]): ProjectDocument {
  const doomed = new Set(ids);
  return withoutStalePlacement({ ...document, workloads: document.workloads.filter((w) => !doomed.has(w.id)) });
}

export function setPlacementSettings(document: ProjectDocument, settings: Partial<Pick<PlacementSettings, 'periodS' | 'lambdaJ' | 'utilizationLimit'>>): ProjectDocument {
  return { ...document, placement: { ...document.placement, ...settings } };
}

/** A cloud link a planner starts from: 20 Mb/s Wi-Fi uplink, 40 ms round trip. */
export const defaultCloud = (): ProjectCloud => ({ uplinkMbps: 20, rttMs: 40, radio: 'wifi' });

/** Adds, changes or (with null) removes the cloud; removing it drops a placement that used it. */
export function setCloud(document: ProjectDocument, cloud: ProjectCloud | null): ProjectDocument {
  const { cloud: _removed, ...rest } = document.placement;
  return withoutStalePlacement({ ...document, placement: cloud ? { ...rest, cloud } : rest });
}

/**
 * Keeps a workload at the edge (true) or lets the placement offload it (false). An accepted
 * placement that offloads it stays, like after any other constraint change: the checker flags it.
 */
export function setWorkloadEdgeOnly(document: ProjectDocument, id: string, edgeOnly: boolean): ProjectDocument {
  return {
    ...document,
    workloads: document.workloads.map((w) => {
      if (w.id !== id) return w;
      const { edgeOnly: _old, ...rest } = w;
      return edgeOnly ? { ...rest, edgeOnly } : rest;
    }),
  };
}

/** Keeps a placement in the project (saved with it); replaces the one accepted before. */
export function acceptPlacement(document: ProjectDocument, result: PlacementResult): ProjectDocument {
  return { ...document, placement: { ...document.placement, result } };
}
