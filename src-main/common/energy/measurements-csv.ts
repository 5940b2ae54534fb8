/**
 * A planner's measurements as CSV (`joule calibrate`): one row per measured inference with the
 * columns model, device, latency_ms and, optionally, energy_mj (empty where not measured).
 *
 * @example parseMeasurementsCsv('model,device,latency_ms\nzoo:resnet18,raspberry-pi-4,610\n', 'm.csv')
 *          // [{ model: 'zoo:resnet18', device: 'raspberry-pi-4', latencyMs: 610, line: 2 }]
 */
import { parseCsv } from '../csv/csv';
import { JouleError } from '../errors';

export const MEASUREMENT_COLUMNS = ['model', 'device', 'latency_ms', 'energy_mj'] as const;

export interface MeasurementRow {
  /** An .onnx file or zoo:NAME, as written. */
  model: string;
  device: string;
  latencyMs: number;
  energyMJ?: number;
  /** 1-based line of the file. */
  line: number;
}

/** Every row, or a JouleError naming the file, the line and the bad cell. */
export function parseMeasurementsCsv(text: string, fileName: string): MeasurementRow[] {
  const [header, ...rows] = parseCsv(text);
  const columns = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  for (const c of MEASUREMENT_COLUMNS.slice(0, 3)) {
    if (!columns.includes(c)) throw new JouleError(`${fileName}: the header lacks the column "${c}"; expected ${MEASUREMENT_COLUMNS.join(', ')}.`);
  }
  const cell = (fields: string[], c: string) => fields[columns.indexOf(c)]?.trim() ?? '';
  const parsed = rows.map((row) => {
    const latencyText = cell(row.fields, 'latency_ms');
    const latencyMs = Number(latencyText);
    if (!(latencyMs > 0)) throw new JouleError(`${fileName} line ${row.line}: latency_ms must be a positive number, got "${latencyText}".`);
    const energyText = columns.includes('energy_mj') ? cell(row.fields, 'energy_mj') : '';
    const energyMJ = energyText === '' ? undefined : Number(energyText);
    if (energyMJ !== undefined && !(energyMJ > 0)) throw new JouleError(`${fileName} line ${row.line}: energy_mj must be a positive number or empty, got "${energyText}".`);
    const model = cell(row.fields, 'model');
    const device = cell(row.fields, 'device');
    if (!model || !device) throw new JouleError(`${fileName} line ${row.line}: model and device must not be empty.`);
    return { model, device, latencyMs, ...(energyMJ === undefined ? {} : { energyMJ }), line: row.line };
  });
  if (!parsed.length) throw new JouleError(`${fileName} has no measurement rows.`);
  return parsed;
}
