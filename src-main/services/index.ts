/**
 * The composition root shared by every host: builds the services over one job pool, one device
 * library and one event bus. Hosts add their own `HostApi` and a transport.
 */
import path from 'node:path';
import type { HostApi } from '../common/api/host';
import type { JouleServices } from '../common/api';
import { DeviceLibrary } from '../core/energy/device-library';
import { AppState } from '../core/project/app-state';
import type { JouleJobs } from '../jobs/catalog';
import { JobPool } from '../jobs/pool';
import { DevicesService } from './devices-service';
import { EnergyService } from './energy-service';
import { EventBus } from './event-bus';
import { JobsService } from './jobs-service';
import { ModelsService } from './models-service';
import { PlacementService } from './placement-service';
import { ProjectService } from './project-service';
import { TrainingService } from './training-service';
import { defaultDatasetCacheDir } from '../core/train/data/cache';

export interface ServiceOptions {
  /** The app's `resources/` folder (device library, sample project). */
  resourcesDir: string;
  /** Per-user state: recent projects, recovery file. */
  dataDir: string;
  /** Default folder for new projects. */
  documentsDir: string;
  poolSize?: number;
  workerUrl?: URL;
}

export interface Runtime {
  services: Omit<JouleServices, 'host'>;
  events: EventBus;
  pool: JobPool<JouleJobs>;
  library: DeviceLibrary;
  close(): Promise<void>;
}

export async function createRuntime(options: ServiceOptions): Promise<Runtime> {
  const library = await DeviceLibrary.load(path.join(options.resourcesDir, 'devices'));
  const events = new EventBus();
  const pool = new JobPool<JouleJobs>({
    workerUrl: options.workerUrl,
    size: options.poolSize,
    onUpdate: (job) => events.publish({ type: 'job.updated', job }),
  });
  const state = new AppState(options.dataDir);
  const services = {
    project: new ProjectService({
      library,
      state,
      pool,
      sampleFile: path.join(options.resourcesDir, 'sample', 'sample.joule'),
      documentsDir: options.documentsDir,
    }),
    devices: new DevicesService(library),
    models: new ModelsService(pool, options.resourcesDir),
    energy: new EnergyService(pool, library, { resourcesDir: options.resourcesDir, dataDir: options.dataDir }),
    placement: new PlacementService(pool, options.resourcesDir),
    training: new TrainingService(pool, { modelsDir: path.join(options.resourcesDir, 'models'), cacheDir: defaultDatasetCacheDir() }),
    jobs: new JobsService(pool),
  };
  return { services, events, pool, library, close: () => pool.close() };
}

/** The full service set a transport dispatches to. */
export function withHost(runtime: Runtime, host: HostApi): JouleServices {
  return { ...runtime.services, host };
}
