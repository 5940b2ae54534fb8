/** Job `energy.calibrate`: each device profile fitted to measurements; writes `<device>.calibrated.json` per device. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CalibrationReport, CalibrationRequest } from '../../common/api/energy';
import { calibrateProfile, type CalibrationRow } from '../../core/energy/calibrate';
import { writeFileAtomic } from '../../core/io/atomic-write';
import type { JobContext } from '../context';
import { loadSourceModel, precisionFor, profileFor } from './inputs';

export async function calibrateDevices(request: CalibrationRequest, context: JobContext): Promise<CalibrationReport[]> {
  const byDevice = new Map<string, CalibrationRow[]>();
  for (const m of request.measurements) {
    const { model, name } = loadSourceModel(m.model, context.env);
    const rows = byDevice.get(m.deviceId) ?? [];
    rows.push({ model, name, measuredLatencyMs: m.latencyMs, ...(m.energyMJ === undefined ? {} : { measuredEnergyMJ: m.energyMJ }) });
    byDevice.set(m.deviceId, rows);
  }
  await fs.mkdir(request.outDir, { recursive: true });
  const reports: CalibrationReport[] = [];
  for (const [device, rows] of byDevice) {
    context.checkpoint();
    context.report(reports.length / byDevice.size, `Calibrating ${device}`);
    const profile = await profileFor(device, context.env);
    const result = calibrateProfile(profile, rows, { precision: precisionFor(request.precision, profile) });
    const file = path.join(request.outDir, `${profile.id}.calibrated.json`);
    await writeFileAtomic(file, `${JSON.stringify(result.profile, null, 2)}\n`, { backup: false });
    reports.push({ device: profile.id, file, fit: result.fit, residuals: result.residuals });
  }
  return reports;
}
