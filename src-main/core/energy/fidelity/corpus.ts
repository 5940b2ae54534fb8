/**
 * The measured-reference corpus (resources/devices/measurements/published.csv): published
 * batch-1 latencies of standard networks on the library's boards, one row per figure with its
 * runtime, precision, input size and source. Which rows a profile is fitted to is the corpus's
 * `use` column (see common/energy/validation.ts).
 */
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../../common/csv/csv';
import { precisions, type Precision } from '../../../common/devices/profile';
import { pointUses, type PointUse } from '../../../common/energy/validation';
import { JouleError } from '../../../common/errors';

export const CORPUS_COLUMNS = ['device', 'model', 'input', 'precision', 'runtime', 'runtime_id', 'use', 'why', 'latency_ms', 'power_w', 'power_mode', 'source', 'where', 'date'] as const;

export interface PublishedPoint {
  device: string;
  model: string;
  input: number;
  precision: Precision;
  runtime: string;
  use: PointUse;
  why: string;
  latencyMs: number;
  powerW: number | null;
  source: string;
  where: string;
  date: string;
  line: number;
}

export function parseCorpus(text: string, file: string): PublishedPoint[] {
  const [header, ...rows] = parseCsv(text);
  const columns = header?.fields.map((f) => f.trim()) ?? [];
  for (const c of CORPUS_COLUMNS) if (!columns.includes(c)) throw new JouleError(`${file}: the header lacks the column "${c}".`);
  const cell = (fields: string[], c: (typeof CORPUS_COLUMNS)[number]) => fields[columns.indexOf(c)]?.trim() ?? '';
  return rows.map(({ fields, line }) => {
    const at = `${file} line ${line}`;
    const latencyMs = Number(cell(fields, 'latency_ms'));
    if (!(latencyMs > 0)) throw new JouleError(`${at}: latency_ms must be a positive number, got "${cell(fields, 'latency_ms')}".`);
    const use = cell(fields, 'use') as PointUse;
    if (!pointUses.includes(use)) throw new JouleError(`${at}: use must be one of ${pointUses.join(', ')}, got "${use}".`);
    const precision = cell(fields, 'precision') as Precision;
    if (!precisions.includes(precision)) throw new JouleError(`${at}: precision must be one of ${precisions.join(', ')}, got "${precision}".`);
    const input = Number(cell(fields, 'input'));
    if (use !== 'no-model' && !(Number.isInteger(input) && input > 0)) throw new JouleError(`${at}: input must be the image size in pixels, got "${cell(fields, 'input')}".`);
    const power = cell(fields, 'power_w');
    return {
      device: cell(fields, 'device'),
      model: cell(fields, 'model'),
      input,
      precision,
      runtime: cell(fields, 'runtime'),
      use,
      why: cell(fields, 'why'),
      latencyMs,
      powerW: power === '' ? null : Number(power),
      source: cell(fields, 'source'),
      where: cell(fields, 'where'),
      date: cell(fields, 'date'),
      line,
    };
  });
}

export function readCorpus(file: string): PublishedPoint[] {
  return parseCorpus(readFileSync(file, 'utf8'), file);
}
