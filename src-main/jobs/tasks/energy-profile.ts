/** Job `energy.profile`: a model run on this machine by onnxruntime's profiler, beside the host profile's prediction. */
import type { ProfileRequest } from '../../common/api/energy';
import type { HostCheck } from '../../common/energy/reports';
import { analyzeModel } from '../../core/energy/analyze';
import { compareWithMeasurement } from '../../core/energy/host-check';
import { measureLayers } from '../../core/energy/measure-layers';
import { hostProfile } from '../../core/energy/resolve-profile';
import type { JobContext } from '../context';
import { loadSourceModel } from './inputs';

export async function profileOnHost(request: ProfileRequest, context: JobContext): Promise<HostCheck> {
  const { model, name } = loadSourceModel(request.model, context.env);
  context.report(0.05, request.remeasure ? 'Measuring this machine' : 'Reading the host profile');
  const profile = await context.native(() => hostProfile(context.env.dataDir, { remeasure: request.remeasure === true }));
  const analysis = analyzeModel(model, profile, { precision: 'fp32', name });
  context.checkpoint();
  context.report(0.3, `Running ${name} with onnxruntime's profiler`);
  const measured = await context.native(() => measureLayers(model, { threads: request.threads ?? 1, runs: request.runs ?? 10 }));
  return compareWithMeasurement(analysis, measured);
}
