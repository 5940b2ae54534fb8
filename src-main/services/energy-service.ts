/** The energy service: device profiles, and analyses, partitions, profiling and calibration as worker jobs. */
import type { AnalysisRequest, CalibrationRequest, EnergyApi, EnergyProfileInfo, PartitionRequest, PrecisionChoice, ProfileRequest } from '../common/api/energy';
import { precisions } from '../common/devices/profile';
import { MAX_ANALYSIS_BATCH, MAX_RUNS } from '../common/limits';
import { InvalidRequestError } from '../common/errors';
import { BUILTIN_PROFILES, HOST_PROFILE_ID } from '../core/energy/builtin-profiles';
import type { DeviceLibrary } from '../core/energy/device-library';
import type { JouleJobs } from '../jobs/catalog';
import type { JobExecutor } from '../jobs/executor';
import { optionalInteger, optionalThreads, requireModelSource, requireNumber, requireObject, requireString } from './arguments';
import { checkedModelSource, type FileAccess } from './file-access';

export class EnergyService implements EnergyApi {
  constructor(
    private readonly pool: JobExecutor<JouleJobs>,
    private readonly library: DeviceLibrary,
    private readonly access: FileAccess,
  ) {}

  async profiles(): Promise<EnergyProfileInfo[]> {
    return [
      ...this.library.summaries().map((d) => ({ id: d.id, name: d.name, kind: 'library' as const })),
      ...Object.entries(BUILTIN_PROFILES).map(([id, make]) => ({ id, name: make().name, kind: 'builtin' as const })),
      { id: HOST_PROFILE_ID, name: 'This computer (measured)', kind: 'host' as const },
    ];
  }

  async startAnalysis(request: AnalysisRequest): Promise<string> {
    requireObject(request, 'request');
    requireModelSource(request.model, 'model');
    if (!Array.isArray(request.deviceIds) || request.deviceIds.length === 0) {
      throw new InvalidRequestError('deviceIds: expected at least one device id.');
    }
    const deviceIds = request.deviceIds.map((id, i) => this.access.deviceId(requireString(id, `deviceIds[${i}]`), `deviceIds[${i}]`));
    requirePrecision(request.precision, 'precision');
    optionalInteger(request.batch, 'batch', 1, MAX_ANALYSIS_BATCH);
    const model = await checkedModelSource(this.access, request.model, 'model');
    return this.pool.start('energy.analyze', { ...request, model, deviceIds }, { title: `Energy analysis on ${request.deviceIds.length} device(s)` }).id;
  }

  async startPartition(request: PartitionRequest): Promise<string> {
    requireObject(request, 'request');
    requireModelSource(request.model, 'model');
    const deviceId = this.access.deviceId(requireString(request.deviceId, 'deviceId'), 'deviceId');
    const model = await checkedModelSource(this.access, request.model, 'model');
    requireNumber(request.uplinkMbps, 'uplinkMbps', 0);
    requireNumber(request.rttMs, 'rttMs', 0);
    if (request.sloMs !== null) requireNumber(request.sloMs, 'sloMs', 0);
    if (request.radio !== 'wifi' && request.radio !== 'lte') throw new InvalidRequestError(`radio: expected wifi or lte, got ${JSON.stringify(request.radio)}.`);
    if (request.precision !== undefined) requirePrecision(request.precision, 'precision');
    return this.pool.start('energy.partition', { ...request, model, deviceId }, { title: `Edge-cloud partition on ${request.deviceId}` }).id;
  }

  async startProfile(request: ProfileRequest): Promise<string> {
    requireObject(request, 'request');
    requireModelSource(request.model, 'model');
    optionalThreads(request.threads, 'threads');
    optionalInteger(request.runs, 'runs', 1, MAX_RUNS);
    const model = await checkedModelSource(this.access, request.model, 'model');
    return this.pool.start('energy.profile', { ...request, model }, { title: 'Profile a model on this computer' }).id;
  }

  async startCalibration(request: CalibrationRequest): Promise<string> {
    requireObject(request, 'request');
    const outDir = await this.access.writable(requireString(request.outDir, 'outDir'), 'outDir', 'folder');
    if (!Array.isArray(request.measurements) || request.measurements.length === 0) {
      throw new InvalidRequestError('measurements: expected at least one measurement.');
    }
    request.measurements.forEach((m, i) => {
      requireModelSource(m.model, `measurements[${i}].model`);
      requireString(m.deviceId, `measurements[${i}].deviceId`);
      requireNumber(m.latencyMs, `${m.origin}: latency_ms`, 0, { exclusive: true });
      if (m.energyMJ !== undefined) requireNumber(m.energyMJ, `${m.origin}: energy_mj`, 0, { exclusive: true });
    });
    for (const [i, m] of request.measurements.entries()) {
      this.access.deviceId(m.deviceId, `measurements[${i}].deviceId`);
      await checkedModelSource(this.access, m.model, `measurements[${i}].model`);
    }
    if (request.precision !== undefined) requirePrecision(request.precision, 'precision');
    return this.pool.start('energy.calibrate', { ...request, outDir }, { title: `Calibrate ${new Set(request.measurements.map((m) => m.deviceId)).size} device profile(s)` }).id;
  }
}

function requirePrecision(value: unknown, name: string): PrecisionChoice {
  if (value === 'auto' || (precisions as readonly unknown[]).includes(value)) return value as PrecisionChoice;
  throw new InvalidRequestError(`${name}: expected auto, ${precisions.join(', ')}, got ${JSON.stringify(value)}.`);
}
