/**
 * The device inventory as CSV, for spreadsheets and asset databases. One row per inventory row;
 * sites by name (new names create sites on import). Import reports every bad row with its line,
 * column and a sentence, and imports nothing the user has not seen.
 */
import { idFromName, nextId } from '../project/ids';
import { deviceSchema, type Device, type ProjectDocument, type Site } from '../project/schema';
import { parseWith, problemToSentence } from '../validation';
import { CsvSyntaxError, formatCsv, parseCsv } from './csv';

export const deviceCsvColumns = ['name', 'type', 'site', 'count', 'ramMB', 'storageGB', 'power', 'energyWh', 'uplinkMbps', 'radio', 'notes'] as const;
type Column = (typeof deviceCsvColumns)[number];
const requiredColumns: Column[] = ['name', 'type', 'site'];
const numericColumns = new Set<Column>(['count', 'ramMB', 'storageGB', 'energyWh', 'uplinkMbps']);

export function exportDevicesCsv(document: ProjectDocument): string {
  const siteName = new Map(document.sites.map((s) => [s.id, s.name]));
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
      headerErrors.push({ line: header.line, message: `Unknown column "${c}"; the columns are ${deviceCsvColumns.join(', ')}.` });
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
    const notes = cell('notes');
    if (notes) raw.notes = notes;

    const siteName = cell('site') ?? '';
    const problems: string[] = [];
    if (!defaults) problems.push(`type: unknown device type "${type}"`);
    if (!siteName) problems.push('site: needs a site name');

    let siteId = siteIdByName.get(siteName.toLowerCase());
    const id = nextId('dev', takenDeviceIds);
    const parsed = parseWith(deviceSchema, { ...raw, id, siteId: siteId ?? 'pending' });
    if (!parsed.ok) problems.push(...parsed.problems.map(problemToSentence));
    if (parsed.ok && parsed.value.power === 'mains' && parsed.value.energyWh !== null) problems.push('energyWh: must be empty for a device on mains power');
    if (parsed.ok && parsed.value.power !== 'mains' && parsed.value.energyWh === null) problems.push(`energyWh: needs a value for power "${parsed.value.power}"`);
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
  }
  return { devices, newSites, errors, rowCount: data.length };
}
