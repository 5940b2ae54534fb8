/**
 * Uplink radio power: the linear model of Huang et al., "A Close Examination of Performance and
 * Power Characteristics of 4G LTE Networks", MobiSys 2012: P = alpha_u x uplink Mbps + beta
 * (the downlink term is left out: partition results come back small).
 *
 * The coefficients are those REFERENCES.md gives as *(check)* against the paper's Table 3;
 * they were fitted on 2012 phones at a few Mbps, so at hundreds of Mbps the linear model
 * overstates the power (the energy per bit, alpha + beta / rate, stays sensible).
 */
import { EnergyModelError } from './errors';

export type RadioKind = 'wifi' | 'lte';

export interface RadioPowerModel {
  /** mW per Mbps of uplink throughput. */
  alphaUpMwPerMbps: number;
  /** Base power while the radio is active, mW. */
  betaMw: number;
  source: string;
}

export const RADIO_MODELS: Record<RadioKind, RadioPowerModel> = {
  wifi: { alphaUpMwPerMbps: 283.17, betaMw: 132.86, source: 'Huang et al., MobiSys 2012, Table 3, Wi-Fi (check)' },
  lte: { alphaUpMwPerMbps: 438.39, betaMw: 1288.04, source: 'Huang et al., MobiSys 2012, Table 3, LTE (check)' },
};

/**
 * Energy (J) and time (s) to send `bytes` at `uplinkMbps`.
 *
 * @example transmitCost(150_000, 10, RADIO_MODELS.wifi) // { seconds: 0.12, energyJ: 0.356 }
 */
export function transmitCost(bytes: number, uplinkMbps: number, radio: RadioPowerModel): { seconds: number; energyJ: number } {
  if (bytes === 0) return { seconds: 0, energyJ: 0 };
  if (!(uplinkMbps > 0)) {
    throw new EnergyModelError(`Cannot send ${bytes} bytes over an uplink of ${uplinkMbps} Mbps.`);
  }
  const seconds = (bytes * 8) / (uplinkMbps * 1e6);
  const watts = (radio.alphaUpMwPerMbps * uplinkMbps + radio.betaMw) / 1e3;
  return { seconds, energyJ: watts * seconds };
}
