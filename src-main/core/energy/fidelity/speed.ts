/** A profile's speed parameters: its fitted latency model, or its device kind's defaults. */
import type { SpeedParams } from '../../../common/devices/profile';
import { deviceKind, KIND_FACTORS, type EnergyProfile } from '../device-kind';

/** The device kind's defaults as speed parameters: the prior of every fit and the "uncalibrated" prediction. */
export function kindPrior(profile: EnergyProfile): SpeedParams {
  const k = KIND_FACTORS[deviceKind(profile)];
  return {
    efficiency: { conv: k.computeEfficiency, convLarge: k.computeEfficiency, pointwise: k.computeEfficiency, depthwise: k.computeEfficiency, fc: k.computeEfficiency },
    bandwidthEfficiency: k.bandwidthEfficiency,
    layerOverheadUs: k.layerOverheadUs,
  };
}

/** The profile's own speed parameters: its latency model, else the kind's defaults. */
export function profileSpeed(profile: EnergyProfile): SpeedParams {
  const m = profile.latencyModel;
  if (!m) return kindPrior(profile);
  return {
    efficiency: { conv: m.efficiency.conv.value, convLarge: m.efficiency.convLarge.value, pointwise: m.efficiency.pointwise.value, depthwise: m.efficiency.depthwise.value, fc: m.efficiency.fc.value },
    bandwidthEfficiency: m.bandwidthEfficiency.value,
    layerOverheadUs: m.layerOverheadUs.value,
  };
}
