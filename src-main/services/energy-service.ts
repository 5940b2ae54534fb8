/** The energy service: device profiles, and analyses and partitions as worker jobs. */
import type { AnalysisRequest, EnergyApi, EnergyProfileInfo, PartitionRequest } from '../common/api/energy';
import { InvalidRequestError } from '../common/errors';
import { BUILTIN_PROFILES } from '../core/energy/builtin-profiles';
import type { DeviceLibrary } from '../core/energy/device-library';
import { HOST_PROFILE_ID } from '../core/energy/resolve-profile';
import type { EnergyEnvironment } from '../core/energy/run';
import type { JouleJobs } from '../jobs/catalog';
import type { JobPool } from '../jobs/pool';
import { requireObject, requireString } from './arguments';

export class EnergyService implements EnergyApi {
  constructor(
    private readonly pool: JobPool<JouleJobs>,
    private readonly library: DeviceLibrary,
    private readonly env: EnergyEnvironment,
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
    requireObject(request.model, 'model');
    if (!Array.isArray(request.deviceIds) || request.deviceIds.length === 0) {
      throw new InvalidRequestError('deviceIds: expected at least one device id.');
    }
    request.deviceIds.forEach((id, i) => requireString(id, `deviceIds[${i}]`));
    return this.pool.start('energy.analyze', { request, env: this.env }, { title: `Energy analysis on ${request.deviceIds.length} device(s)` }).id;
  }

  async startPartition(request: PartitionRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.deviceId, 'deviceId');
    if (!(typeof request.uplinkMbps === 'number' && request.uplinkMbps >= 0)) {
      throw new InvalidRequestError(`uplinkMbps: expected a number of at least 0, got ${JSON.stringify(request.uplinkMbps)}.`);
    }
    return this.pool.start('energy.partition', { request, env: this.env }, { title: `Edge-cloud partition on ${request.deviceId}` }).id;
  }
}
