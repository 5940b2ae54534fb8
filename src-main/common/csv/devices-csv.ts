/**
 * The device inventory as CSV, for spreadsheets and asset databases. One row per inventory row;
 * sites by name (new names create sites on import), an accelerator's host row by its name (a row
 * of the same file, else of the project). Import reports every bad row with its line, column and
 * a sentence, and imports nothing the user has not seen.
 */
import { checkFleetRules } from '../project/fleet-rules';
import { idFromName, nextId } from '../project/ids';
import { deviceSchema, type Device, type ProjectDocument, type Site } from '../project/schema';
import { describeValue, formatPath, parseWith, problemToSentence } from '../validation';
import { CsvSyntaxError, formatCsv, parseCsv } from './csv';

export const deviceCsvColumns = ['name', 'type', 'site', 'count', 'ramMB', 'storageGB', 'power', 'energyWh', 'uplinkMbps', 'radio', 'powerState', 'wakeUpJ', 'host', 'hostCpuMs', 'notes'] as const;
type Column = (typeof deviceCsvColumns)[number];
const requiredColumns: Column[] = ['name', 'type', 'site'];
const numericColumns = new Set<Column>(['count', 'ramMB', 'storageGB', 'energyWh', 'uplinkMbps', 'wakeUpJ']);

export function exportDevicesCsv(document: ProjectDocument): string {
  const siteName = new Map(document.sites.map((s) => [s.id, s.name]));
  const rowName = new Map(document.devices.map((d) => [d.id, d.name]));
  const rows = document.devices.map((d) => [
    d.name,
    d.type,
    siteName.get(d.siteId) ?? d.siteId,
    String(d.count),
    String(d.ramMB),
    String(d.storageGB),
    d.power,
    d.energyWh === null ? '' : String(d.energyWh),
    String(d.uplinkMbps),
    d.radio,
    d.powerState ?? '',
    d.wakeUpJ === undefined ? '' : String(d.wakeUpJ),
    d.host ? (rowName.get(d.host.deviceId) ?? d.host.deviceId) : '',
    d.host ? String(d.host.cpuMsPerInference) : '',
    d.notes ?? '',
  ]);
  return formatCsv([[...deviceCsvColumns], ...rows]);
}

export interface CsvRowError {
  /** 1-based line of the file. */
  line: number;
  message: string;
}

export interface DeviceCsvImport {
  devices: Device[];
  /** Sites named in the file that the project does not have yet. */
  newSites: Site[];
  errors: CsvRowError[];
  /** Data rows in the file (valid or not). */
  rowCount: number;
}

/** Defaults for columns a file leaves out, taken from the library profile of the row's type. */
export interface TypeDefaults {
  ramMB: number;
  storageGB: number;
  radio: Device['radio'];
  uplinkMbps: number;
}

export function importDevicesCsv(text: string, document: ProjectDocument, defaultsFor: (type: string) => TypeDefaults | null): DeviceCsvImport {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { devices: [], newSites: [], errors: [{ line: 0, message: error.message }], rowCount: 0 };
    throw error;
  }
  if (rows.length === 0) return { devices: [], newSites: [], errors: [{ line: 1, message: 'The file is empty; expected a header row.' }], rowCount: 0 };
  const [header, ...data] = rows;
  const columns = header.fields.map((f) => f.trim());
  const headerErrors: CsvRowError[] = [];
  columns.forEach((c) => {
    if (!(deviceCsvColumns as readonly string[]).includes(c)) {
      headerErrors.push({ line: header.line, message: `Unknown column ${describeValue(c)}; the columns are ${deviceCsvColumns.join(', ')}.` });
    }
  });
  for (const c of requiredColumns) {
    if (!columns.includes(c)) headerErrors.push({ line: header.line, message: `The header lacks the required column "${c}".` });
  }
  if (headerErrors.length) return { devices: [], newSites: [], errors: headerErrors, rowCount: data.length };

  const siteIdByName = new Map(document.sites.map((s) => [s.name.trim().toLowerCase(), s.id]));
  const takenSiteIds = new Set(document.sites.map((s) => s.id));
  const takenDeviceIds = new Set(document.devices.map((d) => d.id));
  const newSites: Site[] = [];
  const devices: Device[] = [];
  const errors: CsvRowError[] = [];
  const hosts: PendingHost[] = [];
  const lineOf = new Map<Device, number>();

  for (const row of data) {
    if (row.fields.length !== columns.length) {
      errors.push({ line: row.line, message: `Line ${row.line} has ${row.fields.length} fields; the header has ${columns.length}.` });
      continue;
    }
    const cell = (c: Column): string | undefined => {
      const i = columns.indexOf(c);
      return i < 0 ? undefined : row.fields[i].trim();
    };
    const type = cell('type') ?? '';
    const defaults = defaultsFor(type);
    const raw: Record<string, unknown> = { name: cell('name'), type };
    for (const c of numericColumns) {
      const value = cell(c);
      if (value !== undefined && value !== '') raw[c] = Number.isFinite(Number(value)) ? Number(value) : value;
    }
    raw.count ??= 1;
    raw.ramMB ??= defaults?.ramMB;
    raw.storageGB ??= defaults?.storageGB;
    raw.uplinkMbps ??= defaults?.uplinkMbps ?? 0;
    raw.radio = cell('radio') || defaults?.radio || 'none';
    raw.energyWh ??= null;
    raw.power = cell('power') || (raw.energyWh === null ? 'mains' : 'daily-budget');
    const powerState = cell('powerState');
    if (powerState) raw.powerState = powerState;
    const hostName = cell('host') ?? '';
    const hostCpuMs = cell('hostCpuMs') ?? '';
    // The host's id is known once every row has one; a placeholder passes the row's own schema.
    if (hostName) raw.host = { deviceId: 'pending', cpuMsPerInference: hostCpuMs === '' ? undefined : Number.isFinite(Number(hostCpuMs)) ? Number(hostCpuMs) : hostCpuMs };
    const notes = cell('notes');
    if (notes) raw.notes = notes;

    const siteName = cell('site') ?? '';
    const problems: string[] = [];
    if (!defaults) problems.push(`type: unknown device type ${describeValue(type)}`);
    if (!siteName) problems.push('site: needs a site name');

    let siteId = siteIdByName.get(siteName.toLowerCase());
    const id = nextId('dev', takenDeviceIds);
    const parsed = parseWith(deviceSchema, { ...raw, id, siteId: siteId ?? 'pending' });
    if (!parsed.ok) problems.push(...parsed.problems.map(problemToSentence));
    if (!hostName && hostCpuMs) problems.push('hostCpuMs: only an accelerator with a host has one; give the host column too');
    if (parsed.ok && !hostName && parsed.value.power === 'mains' && parsed.value.energyWh !== null) problems.push('energyWh: must be empty for a device on mains power');
    if (parsed.ok && !hostName && parsed.value.power !== 'mains' && parsed.value.energyWh === null) problems.push(`energyWh: needs a value for power "${parsed.value.power}"`);
    if (problems.length || !parsed.ok) {
      errors.push({ line: row.line, message: `Line ${row.line}: ${problems.join('; ')}.` });
      continue;
    }
    if (!siteId) {
      siteId = idFromName('site', siteName, takenSiteIds);
      takenSiteIds.add(siteId);
      siteIdByName.set(siteName.toLowerCase(), siteId);
      newSites.push({ id: siteId, name: siteName });
    }
    takenDeviceIds.add(id);
    devices.push({ ...parsed.value, siteId });
    lineOf.set(devices[devices.length - 1], row.line);
    if (hostName) hosts.push({ line: row.line, device: devices[devices.length - 1], hostName });
  }
  const kept = withoutFleetProblems(resolveHosts(devices, hosts, document, errors), document, newSites, lineOf, errors);
  return { devices: kept, newSites, errors, rowCount: data.length };
}

/**
 * Drops the rows that break a rule across rows (an accelerator at another site than its host, more
 * accelerators than host nodes, ...), checked on the project as the import would leave it, and
 * the accelerators of a dropped host row, so that what the import returns always validates.
 */
function withoutFleetProblems(devices: Device[], document: ProjectDocument, newSites: Site[], lineOf: Map<Device, number>, errors: CsvRowError[]): Device[] {
  let kept = devices;
  for (;;) {
    const all = [...document.devices, ...kept];
    const dropped = new Set<Device>();
    for (const p of checkFleetRules({ sites: [...document.sites, ...newSites], links: document.links, devices: all })) {
      const index = p.path[1];
      if (p.path[0] !== 'devices' || typeof index !== 'number' || index < document.devices.length) continue;
      const device = all[index];
      const line = lineOf.get(device) ?? 0;
      if (!dropped.has(device)) errors.push({ line, message: `Line ${line}: ${formatPath(p.path.slice(2))}: ${p.message}.` });
      dropped.add(device);
    }
    if (dropped.size === 0) break;
    kept = kept.filter((d) => !dropped.has(d));
  }
  errors.sort((a, b) => a.line - b.line);
  return kept;
}

interface PendingHost {
  line: number;
  device: Device;
  hostName: string;
}

/** Points each accelerator at its host row by name (the file's rows first, then the project's); drops rows whose host is unknown or ambiguous. */
function resolveHosts(devices: Device[], pending: PendingHost[], document: ProjectDocument, errors: CsvRowError[]): Device[] {
  const dropped = new Set<Device>();
  const byName = (list: Device[], name: string) => list.filter((d) => d.name.trim().toLowerCase() === name.toLowerCase());
  for (const { line, device, hostName } of pending) {
    const inFile = byName(devices, hostName);
    const matches = inFile.length ? inFile : byName(document.devices, hostName);
    if (matches.length === 1) {
      device.host = { ...device.host!, deviceId: matches[0].id };
      continue;
    }
    errors.push({ line, message: `Line ${line}: host: ${matches.length ? `${matches.length} rows are named ${describeValue(hostName)}; rename them apart` : `no device row is named ${describeValue(hostName)}`}.` });
    dropped.add(device);
  }
  errors.sort((a, b) => a.line - b.line);
  return devices.filter((d) => !dropped.has(d));
}
