/** The device library: profiles of the edge device types Joule knows. */
import type { DeviceProfile, DeviceTypeSummary } from '../devices/profile';
import type { ValidationReport } from '../energy/validation';

export type { DeviceValidation, ErrorSummary, PointUse, ValidationPoint, ValidationReport } from '../energy/validation';

export interface ValidateRequest {
  /** Report only this device (the fit and the cross-validation still use every device). */
  deviceId?: string;
}

/** The result of a `devices.validate` job. */
export type ValidateResult = ValidationReport;

export interface DevicesApi {
  /** Every library device type, sorted by name. */
  list(): Promise<DeviceTypeSummary[]>;
  /** The full profile with every figure and its source. */
  get(id: string): Promise<DeviceProfile>;
  /** Starts a job that checks the library's latency predictions against the published corpus; its result is a `ValidationReport`. */
  startValidate(request: ValidateRequest): Promise<string>;
}
