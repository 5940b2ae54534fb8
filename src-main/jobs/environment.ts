/**
 * The folders a job task reads and writes besides its request: the same for every job a worker
 * runs, so they travel once, when the worker starts (a worker on another machine would have its own).
 */
import path from 'node:path';

export interface JobEnvironment {
  /** The app's `resources/` folder: device library, shipped models, sample project. */
  resourcesDir: string;
  /** Per-user state: the measured host profile. */
  dataDir: string;
  /** Where dataset caches live. */
  datasetCacheDir: string;
}

/** resources/devices: the device library. */
export const devicesDir = (env: JobEnvironment) => path.join(env.resourcesDir, 'devices');

/** resources/models: the shipped trained small-zoo models and their cards. */
export const shippedModelsDir = (env: JobEnvironment) => path.join(env.resourcesDir, 'models');
