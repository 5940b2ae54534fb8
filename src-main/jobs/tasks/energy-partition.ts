/** Job `energy.partition`: the device energy and latency of every edge-cloud cut, and the best one. */
import type { PartitionRequest } from '../../common/api/energy';
import type { PartitionReport } from '../../common/energy/reports';
import { analyzeModel } from '../../core/energy/analyze';
import { partitionModel } from '../../core/energy/partition';
import type { JobContext } from '../context';
import { loadSourceModel, precisionFor, profileFor } from './inputs';

export async function partitionEnergy(request: PartitionRequest, context: JobContext): Promise<PartitionReport> {
  const { model, name } = loadSourceModel(request.model, context.env);
  const profile = await profileFor(request.deviceId, context.env);
  context.report(0.2, `Partitioning ${name} on ${profile.name}`);
  const analysis = analyzeModel(model, profile, { precision: precisionFor(request.precision, profile), name });
  const { best, cuts } = partitionModel(model, analysis, {
    deviceProfile: profile,
    uplinkMbps: request.uplinkMbps,
    radio: request.radio,
    rttMs: request.rttMs,
    sloMs: request.sloMs ?? undefined,
  });
  return { best, cuts };
}
