/** Every Pinia store id, in one place. */
export enum StoreId {
  Project = 'project',
  DeviceTypes = 'device-types',
  Jobs = 'jobs',
  Queue = 'queue',
  Settings = 'settings',
  Placement = 'placement',
  Pareto = 'pareto',
  Compression = 'compression',
  Plan = 'plan',
  Library = 'library',
  Energy = 'energy',
}
