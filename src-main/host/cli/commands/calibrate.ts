/** `joule calibrate MEASUREMENTS.csv`: fit device profiles to a planner's own measurements. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../../common/csv/csv';
import { precisions } from '../../../common/devices/profile';
import { JouleError } from '../../../common/errors';
import { calibrateProfile, type CalibrationRow } from '../../../core/energy/calibrate';
import { resolveProfile } from '../../../core/energy/resolve-profile';
import { autoPrecision } from '../../../core/energy/run';
import { writeFileAtomic } from '../../../core/project/atomic-write';
import { resolveModel } from '../../../core/zoo/resolve';
import { choiceOption, type Command } from '../command';
import { textTable } from '../table';

const COLUMNS = ['model', 'device', 'latency_ms', 'energy_mj'] as const;

export const calibrateCommand: Command = {
  words: ['calibrate'],
  summary: 'Fit each device profile to measured latency (and energy) by least squares; writes <device>.calibrated.json per device.',
  positionals: [{ name: 'CSV', description: `Measurements with the columns ${COLUMNS.join(', ')} (energy_mj may be empty); model is an .onnx file or zoo:NAME.` }],
  options: {
    out: { type: 'string', placeholder: 'DIR', description: 'Folder for the calibrated profiles (default: the current folder).' },
    precision: { type: 'string', placeholder: 'P', description: 'Precision the measurements were taken at (default: each device\'s fastest float).' },
  },
  async run(args, context) {
    const csvFile = path.resolve(args.positionals[0]);
    let text: string;
    try {
      text = await fs.readFile(csvFile, 'utf8');
    } catch (error) {
      throw new JouleError(`Cannot read ${csvFile}: ${(error as Error).message}.`);
    }
    const [header, ...rows] = parseCsv(text);
    const columns = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
    for (const c of COLUMNS.slice(0, 3)) if (!columns.includes(c)) throw new JouleError(`${path.basename(csvFile)}: the header lacks the column "${c}"; expected ${COLUMNS.join(', ')}.`);
    const cell = (fields: string[], c: string) => fields[columns.indexOf(c)]?.trim() ?? '';
    const runtime = await context.runtime();
    const modelsDir = path.join(context.paths.resourcesDir, 'models');
    const byDevice = new Map<string, CalibrationRow[]>();
    for (const row of rows) {
      const latency = Number(cell(row.fields, 'latency_ms'));
      const energyText = columns.includes('energy_mj') ? cell(row.fields, 'energy_mj') : '';
      const energy = energyText === '' ? undefined : Number(energyText);
      if (!(latency > 0)) throw new JouleError(`${path.basename(csvFile)} line ${row.line}: latency_ms must be a positive number, got "${cell(row.fields, 'latency_ms')}".`);
      if (energy !== undefined && !(energy > 0)) throw new JouleError(`${path.basename(csvFile)} line ${row.line}: energy_mj must be a positive number or empty, got "${energyText}".`);
      const { model, name } = resolveModel(cell(row.fields, 'model'), { purpose: 'analyze', modelsDir });
      const device = cell(row.fields, 'device');
      const list = byDevice.get(device) ?? [];
      list.push({ model, name, measuredLatencyMs: latency, ...(energy === undefined ? {} : { measuredEnergyMJ: energy }) });
      byDevice.set(device, list);
    }
    if (!byDevice.size) throw new JouleError(`${path.basename(csvFile)} has no measurement rows.`);
    const outDir = path.resolve(typeof args.options.out === 'string' ? args.options.out : '.');
    await fs.mkdir(outDir, { recursive: true });
    const results = [];
    for (const [device, list] of byDevice) {
      const profile = await resolveProfile(device, { library: runtime.library, dataDir: context.paths.dataDir });
      const precision = args.options.precision === undefined ? autoPrecision(profile) : choiceOption(args, 'precision', precisions, 'fp32');
      const result = calibrateProfile(profile, list, { precision });
      const file = path.join(outDir, `${profile.id}.calibrated.json`);
      await writeFileAtomic(file, `${JSON.stringify(result.profile, null, 2)}\n`, { backup: false });
      results.push({ device: profile.id, file, fit: result.fit, residuals: result.residuals });
    }
    if (args.json) {
      context.out(JSON.stringify(results, null, 2));
      return;
    }
    for (const r of results) {
      context.out(`${r.device}: throughput x${r.fit.throughputScale.toFixed(3)}, bandwidth x${r.fit.bandwidthScale.toFixed(3)}, MAC energy x${r.fit.macEnergyScale.toFixed(3)}, byte energy x${r.fit.byteEnergyScale.toFixed(3)}; wrote ${r.file}`);
      context.out(textTable(['model', 'measured ms', 'fitted ms', 'error'], r.residuals.map((x) => [x.name, x.measuredLatencyMs, x.predictedLatencyMs, `${(x.latencyError * 100).toFixed(1)}%`])));
    }
  },
};
