/**
 * Job `devices.validate`: the device library's latency predictions against the published corpus
 * (resources/devices/measurements/published.csv), every fitted point cross-validated
 * leave-one-network-out (core/energy/fidelity).
 */
import path from 'node:path';
import type { ValidateRequest } from '../../common/api/devices';
import type { ValidationReport } from '../../common/energy/validation';
import { readCorpus } from '../../core/energy/fidelity/corpus';
import { validateLibrary } from '../../core/energy/fidelity/validate';
import type { JobContext } from '../context';
import { deviceLibrary } from './inputs';

export const CORPUS_PATH = ['devices', 'measurements', 'published.csv'] as const;

export async function validateDevices(request: ValidateRequest, context: JobContext): Promise<ValidationReport> {
  const library = await deviceLibrary(context.env);
  const corpusFile = path.join(context.env.resourcesDir, ...CORPUS_PATH);
  context.report(0, 'Reading the published measurements');
  const corpus = readCorpus(corpusFile);
  const report = validateLibrary(library.ids().map((id) => library.get(id)), corpus, path.relative(context.env.resourcesDir, corpusFile), (fraction) => {
    context.checkpoint();
    context.report(0.05 + 0.95 * fraction, 'Fitting without each network in turn');
  });
  return request.deviceId ? { ...report, devices: report.devices.filter((d) => d.deviceId === request.deviceId) } : report;
}
