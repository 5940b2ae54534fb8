/**
 * Upgrades project files written by earlier versions of Joule to the current schema.
 *
 * Each step takes the JSON of version N and returns version N + 1; `migrateProject` chains them.
 * Steps must stay valid for every file ever written, so they are never edited once released:
 * a new schema version adds a step.
 *
 * Version 0 (the drafts before schema versions existed) had no `schemaVersion` and no `sites`
 * section: each device named its site (`site`) and gave `budgetWhPerDay` or `batteryWh`.
 * Version 1 had no `workloads` and no `placement`.
 * Version 2 had no cloud link (`placement.cloud`) and no edge-only workloads; a v2 file is a valid
 * v3 file, but a v2 reader rejects those fields, hence the new version.
 * Version 3 had no `compression` section and no model variants (`models[].parentId`).
 * Version 4 had no LANs, links between sites, power states, accelerator hosts or utilization
 * limit; a workload's site was a label, every node could serve every workload for free, and a
 * node's idle energy counted only when it served. `fromV4` keeps that meaning (see there).
 */
import { CURRENT_SCHEMA_VERSION } from '../../common/project/schema';
import { ProjectFileError } from '../../common/errors';
import { describeValue } from '../../common/validation';

type Json = Record<string, unknown>;

const steps: Record<number, (project: Json) => Json> = {
  0: fromV0,
  1: fromV1,
  2: fromV2,
  3: fromV3,
  4: fromV4,
};

export function schemaVersionOf(data: unknown): number {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ProjectFileError('The file does not hold a Joule project: expected a JSON object at the top level.');
  }
  const version = (data as Json).schemaVersion;
  if (version === undefined) return 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new ProjectFileError(`schemaVersion: expected a whole number, got ${describeValue(version)}.`, [
      { path: 'schemaVersion', message: `expected a whole number, got ${describeValue(version)}` },
    ]);
  }
  return version;
}

/** Returns the data upgraded to the current version and the version it had. */
export function migrateProject(data: unknown): { data: Json; fromVersion: number } {
  const fromVersion = schemaVersionOf(data);
  if (fromVersion > CURRENT_SCHEMA_VERSION) {
    throw new ProjectFileError(
      `This project was written by a newer Joule (schema version ${fromVersion}); this version reads up to ${CURRENT_SCHEMA_VERSION}. Update Joule to open it.`,
    );
  }
  let current = data as Json;
  for (let v = fromVersion; v < CURRENT_SCHEMA_VERSION; v++) current = steps[v](current);
  return { data: current, fromVersion };
}

function slug(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'site';
}

function fromV0(project: Json): Json {
  const { devices: rawDevices, budgets, models, ...rest } = project;
  const devices = Array.isArray(rawDevices) ? rawDevices : [];
  const sites: Json[] = [];
  const siteIdByName = new Map<string, string>();
  const siteIdOf = (name: string): string => {
    let id = siteIdByName.get(name);
    if (!id) {
      id = slug(name);
      while (sites.some((s) => s.id === id)) id = `${id}-${sites.length + 1}`;
      siteIdByName.set(name, id);
      sites.push({ id, name });
    }
    return id;
  };
  const migrated = devices.map((raw) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const { site, budgetWhPerDay, batteryWh, ...device } = raw as Json;
    const siteName = typeof site === 'string' && site.trim() ? site.trim() : 'Default site';
    const power = typeof batteryWh === 'number' ? 'battery' : typeof budgetWhPerDay === 'number' ? 'daily-budget' : 'mains';
    const energyWh = power === 'battery' ? batteryWh : power === 'daily-budget' ? budgetWhPerDay : null;
    return { ...device, siteId: siteIdOf(siteName), power, energyWh };
  });
  return {
    schemaVersion: 1,
    ...rest,
    sites,
    devices: migrated,
    models: Array.isArray(models) ? models : [],
    budgets: Array.isArray(budgets) ? budgets : [],
  };
}

/** v1 -> v2: the placement sections arrive empty, with a one-day planning period. */
function fromV1(project: Json): Json {
  return { ...project, schemaVersion: 2, workloads: [], placement: { periodS: 86_400, lambdaJ: 0, result: null } };
}

/** v2 -> v3: nothing to change; the new fields are optional. */
function fromV2(project: Json): Json {
  return { ...project, schemaVersion: 3 };
}

/** v3 -> v4: no wizard runs yet. */
function fromV3(project: Json): Json {
  return { ...project, schemaVersion: 4, compression: { runs: [] } };
}

/**
 * v4 -> v5, unchanged in meaning: every device row may sleep (v4 charged idle energy only to
 * nodes that serve) and every two sites are joined by a link without capacity, delay or energy
 * (v4 let any node serve any workload for nothing), so that workloads with a site place as
 * before. The planner replaces these links by the real ones. The balance term itself changed
 * (the busiest node's utilization instead of the mean absolute deviation), so lambdaJ keeps its
 * value but now prices a point of peak utilization; there was no utilization limit (absent: 1).
 */
function fromV4(project: Json): Json {
  const devices = Array.isArray(project.devices) ? project.devices.map((d: unknown) => (isObject(d) ? { ...d, powerState: 'may-sleep' } : d)) : project.devices;
  const siteIds = Array.isArray(project.sites) ? project.sites.flatMap((s: unknown) => (isObject(s) && typeof s.id === 'string' ? [s.id] : [])) : [];
  const links: Json[] = [];
  siteIds.forEach((a, i) => siteIds.slice(i + 1).forEach((b) => links.push({ id: `link-${links.length + 1}`, siteA: a, siteB: b, rttMs: 0, jPerMB: 0, notes: 'Added when the project was upgraded from schema 4: free and unlimited, as placement assumed then.' })));
  return { ...project, schemaVersion: 5, devices, ...(links.length ? { links } : {}) };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
