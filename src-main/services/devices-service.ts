/** The device library as a service. */
import type { DevicesApi } from '../common/api/devices';
import type { DeviceProfile, DeviceTypeSummary } from '../common/devices/profile';
import type { DeviceLibrary } from '../core/energy/device-library';
import { requireString } from './arguments';

export class DevicesService implements DevicesApi {
  constructor(private readonly library: DeviceLibrary) {}

  async list(): Promise<DeviceTypeSummary[]> {
    return this.library.summaries();
  }

  async get(id: string): Promise<DeviceProfile> {
    return this.library.get(requireString(id, 'id'));
  }
}
