/** `joule calibrate MEASUREMENTS.csv`: fit device profiles to a planner's own measurements. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CalibrationReport } from '../../../common/api/energy';
import { precisions } from '../../../common/devices/profile';
import { MEASUREMENT_COLUMNS, parseMeasurementsCsv } from '../../../common/energy/measurements-csv';
import { JouleError } from '../../../common/errors';
import { choiceOption, stringOption, type Command } from '../command';
import { modelSource } from '../inputs';
import { awaitJob } from '../jobs';
import { textTable } from '../table';

export const calibrateCommand: Command = {
  words: ['calibrate'],
  summary: 'Fit each device profile to measured latency (and energy) by least squares; writes <device>.calibrated.json per device.',
  positionals: [{ name: 'CSV', description: `Measurements with the columns ${MEASUREMENT_COLUMNS.join(', ')} (energy_mj may be empty); model is an .onnx file or zoo:NAME.` }],
  options: {
    out: { type: 'string', placeholder: 'DIR', description: 'Folder for the calibrated profiles (default: the current folder).' },
    precision: { type: 'string', placeholder: 'P', description: "Precision the measurements were taken at (default: each device's fastest float)." },
  },
  async run(args, context) {
    const csvFile = path.resolve(args.positionals[0]);
    let text: string;
    try {
      text = await fs.readFile(csvFile, 'utf8');
    } catch (error) {
      throw new JouleError(`Cannot read ${csvFile}: ${(error as Error).message}.`);
    }
    const fileName = path.basename(csvFile);
    const measurements = parseMeasurementsCsv(text, fileName).map((row) => ({
      model: modelSource(row.model),
      deviceId: row.device.endsWith('.json') ? path.resolve(row.device) : row.device,
      latencyMs: row.latencyMs,
      ...(row.energyMJ === undefined ? {} : { energyMJ: row.energyMJ }),
      origin: `${fileName} line ${row.line}`,
    }));
    const precision = args.options.precision === undefined ? 'auto' : choiceOption(args, 'precision', precisions, 'fp32');
    const outDir = path.resolve(stringOption(args, 'out') ?? '.');
    const { energy } = (await context.runtime()).services;
    const reports = await awaitJob<CalibrationReport[]>(context, energy.startCalibration({ measurements, outDir, precision }), { progress: !args.json });
    if (args.json) {
      context.out(JSON.stringify(reports, null, 2));
      return;
    }
    for (const r of reports) {
      context.out(`${r.device}: latency RMS error ${(r.fit.latencyRmsErrorBefore * 100).toFixed(1)}% before, ${(r.fit.latencyRmsError * 100).toFixed(1)}% after; regular-convolution efficiency ${r.fit.speedBefore.efficiency.conv.toPrecision(3)} -> ${r.fit.speedAfter.efficiency.conv.toPrecision(3)}, overhead ${r.fit.speedBefore.layerOverheadUs.toPrecision(3)} -> ${r.fit.speedAfter.layerOverheadUs.toPrecision(3)} us per layer, MAC energy x${r.fit.macEnergyScale.toFixed(3)}, byte energy x${r.fit.byteEnergyScale.toFixed(3)}; wrote ${r.file}`);
      context.out(textTable(['model', 'measured ms', 'fitted ms', 'error'], r.residuals.map((x) => [x.name, x.measuredLatencyMs, x.predictedLatencyMs, `${(x.latencyError * 100).toFixed(1)}%`])));
    }
  },
};
