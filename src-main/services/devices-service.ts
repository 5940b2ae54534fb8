/** The device library as a service. */
import type { DevicesApi, ValidateRequest } from '../common/api/devices';
import type { DeviceProfile, DeviceTypeSummary } from '../common/devices/profile';
import type { DeviceLibrary } from '../core/energy/device-library';
import type { JouleJobs } from '../jobs/catalog';
import type { JobExecutor } from '../jobs/executor';
import { requireObject, requireString } from './arguments';
import type { FileAccess } from './file-access';

export class DevicesService implements DevicesApi {
  constructor(
    private readonly library: DeviceLibrary,
    private readonly pool: JobExecutor<JouleJobs>,
    private readonly access: FileAccess,
  ) {}

  async startValidate(request: ValidateRequest): Promise<string> {
    requireObject(request, 'request');
    if (request.deviceId !== undefined) this.library.get(this.access.deviceId(requireString(request.deviceId, 'deviceId'), 'deviceId'));
    return this.pool.start('devices.validate', request, { title: request.deviceId ? `Validate ${request.deviceId}` : 'Validate the device library' }).id;
  }

  async list(): Promise<DeviceTypeSummary[]> {
    return this.library.summaries();
  }

  async get(id: string): Promise<DeviceProfile> {
    return this.library.get(this.access.deviceId(requireString(id, 'id'), 'id'));
  }
}
