/** The device library: profiles of the edge device types Joule knows. */
import type { DeviceProfile, DeviceTypeSummary } from '../devices/profile';

export interface DevicesApi {
  /** Every library device type, sorted by name. */
  list(): Promise<DeviceTypeSummary[]>;
  /** The full profile with every figure and its source. */
  get(id: string): Promise<DeviceProfile>;
}
