/** Job `energy.analyze`: one model on one or more devices, per layer, as the window's report. */
import type { AnalysisRequest } from '../../common/api/energy';
import type { EnergyReport } from '../../common/energy/reports';
import { analyzeModel, type EnergyAnalysis } from '../../core/energy/analyze';
import type { JobContext } from '../context';
import { loadSourceModel, precisionFor, profileFor } from './inputs';

export async function analyzeEnergy(request: AnalysisRequest, context: JobContext): Promise<EnergyReport[]> {
  const { model, name, assumptions } = loadSourceModel(request.model, context.env);
  const reports: EnergyReport[] = [];
  for (const [i, id] of request.deviceIds.entries()) {
    context.checkpoint();
    context.report(i / request.deviceIds.length, `Analysing ${name} on ${id}`);
    const profile = await profileFor(id, context.env);
    const report = toReport(analyzeModel(model, profile, { precision: precisionFor(request.precision, profile), batch: request.batch ?? 1, name, strict: request.strict === true }));
    reports.push({ ...report, warnings: [...assumptions, ...report.warnings] });
  }
  context.report(1, `Analysed ${name} on ${request.deviceIds.length} device${request.deviceIds.length === 1 ? '' : 's'}`);
  return reports;
}

/** The analysis as plain data: the fields the window and the CLI's JSON promise, nothing internal. */
export function toReport(a: EnergyAnalysis): EnergyReport {
  return {
    model: a.model,
    device: { id: a.device.id, name: a.device.name },
    precision: a.precision,
    batch: a.batch,
    units: a.units,
    totals: {
      energyJ: a.totals.energyJ,
      computeJ: a.totals.computeJ,
      dramJ: a.totals.dramJ,
      bufferJ: a.totals.bufferJ,
      rfJ: a.totals.rfJ,
      staticJ: a.totals.staticJ,
      latencyMs: a.totals.latencyMs,
      weightBytes: a.totals.weightBytes,
      peakActivationBytes: a.totals.peakActivationBytes,
      peakActivationLayer: a.totals.peakActivationLayer,
      ramBytes: a.totals.ramBytes,
      fits: a.totals.fits,
    },
    layers: a.layers.map((l) => ({
      name: l.name,
      op: l.op,
      macs: l.macs,
      params: l.params,
      energyJ: l.energyJ,
      computeJ: l.computeJ,
      dramJ: l.dramJ,
      bufferJ: l.bufferJ,
      rfJ: l.rfJ,
      staticJ: l.staticJ,
      latencyMs: l.latencyMs,
      dramBytes: l.dramBytes,
      bound: l.bound,
      ...(l.fusedInto ? { fusedInto: l.fusedInto } : {}),
    })),
    warnings: a.warnings,
  };
}
