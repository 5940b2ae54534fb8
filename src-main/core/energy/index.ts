/**
 * Joule's energy model: per-layer energy, latency and memory fit of a model on a device
 * profile; the edge-cloud partition; calibration from measurements; the host profile.
 *
 * @example
 * const library = await DeviceLibrary.load('resources/devices');
 * const a = analyzeModel(zoo.resnet50.build(), library.get('jetson-nano-10w'), { precision: 'fp16' });
 */
export { analyzeModel } from './analyze';
export type { AnalyzeOptions, EnergyAnalysis, EnergyTotals, LayerEnergy } from './analyze';
export type { DataSplit } from './layer-costs';
export type { TilingChoice, ConvWorkload, LevelAccesses, TilingCache } from './tiling';
export { tileConv, createTilingCache } from './tiling';
export { resolveHardware, BYTES_PER_ELEMENT } from './hardware';
export type { Hardware, EnergyUnits } from './hardware';
export { deviceKind, deviceKinds, KIND_FACTORS } from './device-kind';
export type { DeviceKind, EnergyProfile, KindFactors, ProfileExtensions, Residency } from './device-kind';
export { eyerissProfile, cloudT4Profile, BUILTIN_PROFILES } from './builtin-profiles';
export { OP_COSTS, OP_MAC_EQUIVALENT } from './op-costs';
export { EnergyModelError } from './errors';
export { DeviceLibrary } from './device-library';
export { partitionModel } from './partition';
export type { PartitionOptions, PartitionCut, PartitionResult } from './partition';
export { RADIO_MODELS, transmitCost } from './radio';
export type { RadioKind, RadioPowerModel } from './radio';
export { calibrateProfile } from './calibrate';
export type { CalibrationRow, CalibrationOptions, CalibrationFit, CalibrationResidual, CalibrationResult } from './calibrate';
export { measureHostProfile, measureHost } from './host-profile';
export type { HostBenchmarkOptions, HostMeasurements } from './host-profile';
