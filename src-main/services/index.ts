/**
 * The composition root shared by every host: the services over one job pool, one device library
 * and one event bus. Services are built on first use (see `lazy.ts`), workers start with the
 * first job, so a host pays only for what it calls. Hosts add their own `HostApi` and a transport.
 */
import path from 'node:path';
import type { JouleServices } from '../common/api';
import type { JobInfo } from '../common/api/jobs';
import type { HostApi } from '../common/api/host';
import { DeviceLibrary } from '../core/energy/device-library';
import { defaultDatasetCacheDir } from '../core/train/data/cache';
import { cancelByTermination, hangTimeoutFor, jobLane, type JouleJobs } from '../jobs/catalog';
import { devicesDir, type JobEnvironment } from '../jobs/environment';
import { JobPool } from '../jobs/pool';
import { RoutingExecutor } from '../jobs/routing-executor';
import { AppState } from './app-state';
import { EventBus } from './event-bus';
import { fullAccess, type FileAccess } from './file-access';
import { lazyService, once } from './lazy';

export interface ServiceOptions {
  /** The app's `resources/` folder (device library, sample project). */
  resourcesDir: string;
  /** Per-user state: recent projects, recovery file, the measured host profile. */
  dataDir: string;
  /** Default folder for new projects. */
  documentsDir: string;
  /** Where dataset caches live (default: the per-user cache folder). */
  datasetCacheDir?: string;
  /** Workers for long jobs (default cores - 1); short jobs have one more of their own. */
  poolSize?: number;
  workerUrl?: URL;
  /** Which paths requests may name: full access (default) or confined to a workspace root (the browser host). */
  fileAccess?: FileAccess;
  /**
   * The job queue (a Redis URL) long jobs go to: a URL (the command line's --redis or
   * JOULE_REDIS_URL), 'remembered' (the window: the queue it last chose, else JOULE_REDIS_URL), or
   * absent for this computer alone.
   */
  queue?: { url: string } | 'remembered';
}

export type CoreServices = Omit<JouleServices, 'host'>;

export interface Runtime {
  services: CoreServices;
  events: EventBus;
  close(): Promise<void>;
}

export function createRuntime(options: ServiceOptions): Runtime {
  const env: JobEnvironment = { resourcesDir: options.resourcesDir, dataDir: options.dataDir, datasetCacheDir: options.datasetCacheDir ?? defaultDatasetCacheDir() };
  const events = new EventBus();
  const onUpdate = (job: JobInfo) => events.publish({ type: 'job.updated', job });
  const local = new JobPool<JouleJobs>({ workerUrl: options.workerUrl, size: options.poolSize, env, hangTimeoutFor, laneOf: jobLane, cancelByTermination, onUpdate });
  const pool = new RoutingExecutor<JouleJobs>(local, onUpdate);
  const state = new AppState(options.dataDir);
  // Not checked here: a queue that does not answer fails its jobs with a sentence, and the
  // window offers to run them on this computer.
  const queueUrl = options.queue === undefined ? null : options.queue === 'remembered' ? (state.queueUrl() ?? process.env.JOULE_REDIS_URL ?? null) : options.queue.url;
  if (queueUrl) pool.useQueueUnchecked(queueUrl);
  const library = once(() => DeviceLibrary.load(devicesDir(env)));
  const access = options.fileAccess ?? fullAccess;
  const services: CoreServices = {
    project: lazyService('project', async () => {
      const { ProjectService } = await import('./project-service');
      return new ProjectService({
        library: await library(),
        state,
        pool,
        sampleFile: path.join(options.resourcesDir, 'sample', 'sample.joule'),
        documentsDir: options.documentsDir,
        access,
        publish: (event) => events.publish(event),
      });
    }),
    devices: lazyService('devices', async () => new (await import('./devices-service')).DevicesService(await library(), pool, access)),
    models: lazyService('models', async () => new (await import('./models-service')).ModelsService(pool, access)),
    energy: lazyService('energy', async () => new (await import('./energy-service')).EnergyService(pool, await library(), access)),
    training: lazyService('training', async () => new (await import('./training-service')).TrainingService(pool, access)),
    pruning: lazyService('pruning', async () => new (await import('./pruning-service')).PruningService(pool, access)),
    placement: lazyService('placement', async () => new (await import('./placement-service')).PlacementService(pool, access)),
    plan: lazyService('plan', async () => new (await import('./plan-service')).PlanService(pool, access)),
    jobs: lazyService('jobs', async () => new (await import('./jobs-service')).JobsService(pool, options.queue === 'remembered' ? state : null)),
  };
  return { services, events, close: () => pool.close() };
}

/** The full service set a transport dispatches to. */
export function withHost(runtime: Runtime, host: HostApi): JouleServices {
  return { ...runtime.services, host };
}
