/**
 * The one typed contract between the window and the hosts. Every call the window can make is a
 * method below; the Electron IPC handlers, the preload, the browser host's HTTP routes and the
 * window's client are all generated from `apiMethods`, so no channel name is written by hand.
 */
import type { SerializedError } from '../errors';
import type { DevicesApi } from './devices';
import type { EnergyApi } from './energy';
import type { JouleEventListener } from './events';
import type { HostApi } from './host';
import type { JobsApi } from './jobs';
import type { ModelsApi } from './models';
import type { PlacementApi } from './placement';
import type { PlanApi } from './plan';
import type { ProjectApi } from './project';
import type { PruningApi } from './pruning';
import type { TrainingApi } from './training';

export interface JouleServices {
  project: ProjectApi;
  devices: DevicesApi;
  models: ModelsApi;
  energy: EnergyApi;
  training: TrainingApi;
  pruning: PruningApi;
  placement: PlacementApi;
  plan: PlanApi;
  jobs: JobsApi;
  host: HostApi;
}

export type ServiceName = keyof JouleServices;
export type MethodName<S extends ServiceName> = keyof JouleServices[S] & string;

/** The API object the window uses: the services plus an event subscription. */
export interface JouleApi extends JouleServices {
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: JouleEventListener): () => void;
}

type MethodList<S extends ServiceName> = readonly MethodName<S>[];

/** Every method of every service, listed at run time. `satisfies` plus `CheckAll` keep it complete. */
export const apiMethods = {
  project: [
    'create',
    'open',
    'read',
    'openSample',
    'save',
    'validate',
    'startCheck',
    'recent',
    'forgetRecent',
    'writeRecovery',
    'readRecovery',
    'clearRecovery',
  ],
  devices: ['list', 'get', 'startValidate'],
  models: ['zoo', 'startImport', 'startExport'],
  energy: ['profiles', 'startAnalysis', 'startPartition', 'startProfile', 'startCalibration'],
  training: ['start', 'evaluate'],
  pruning: ['start', 'startOptions', 'startSweep'],
  placement: ['startBuildProblem', 'startRun', 'startParetoSweep', 'startGapRun', 'startGenerateFleet'],
  plan: ['startCompare', 'startExport', 'startVerify', 'startDemo'],
  jobs: ['list', 'cancel', 'result', 'queueStatus', 'useQueue', 'runHere'],
  host: ['info', 'showOpenDialog', 'showSaveDialog', 'listDirectory', 'setDocumentState', 'showInFolder', 'closeWindow'],
} as const satisfies { [S in ServiceName]: MethodList<S> };

// Compile-time proof that no method is missing from `apiMethods`.
type Missing<S extends ServiceName> = Exclude<MethodName<S>, (typeof apiMethods)[S][number]>;
type CheckAll = { [S in ServiceName]: Missing<S> extends never ? true : Missing<S> };
const complete: CheckAll = { project: true, devices: true, models: true, energy: true, training: true, pruning: true, placement: true, plan: true, jobs: true, host: true };
void complete;

/** `project.open` -> IPC channel / HTTP route segment. */
export function channelOf(service: string, method: string): string {
  return `${service}.${method}`;
}

/** True when `service.method` is part of the contract (checked by every host before dispatch). */
export function isApiMethod(service: string, method: string): boolean {
  const methods = (apiMethods as Record<string, readonly string[]>)[service];
  return Array.isArray(methods) && methods.includes(method);
}

/** What crosses every transport: a value or a serialized error, never a thrown exception. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: SerializedError };

export type { DevicesApi } from './devices';
export type * from './energy';
export type * from './models';
export type * from './placement';
export type * from './training';
export type * from './pruning';
export type * from './plan';
export type { JouleEvent, JouleEventListener, MenuCommand } from './events';
export type { HostApi, HostInfo, HostKind, DirectoryListing, DirectoryEntry, FileFilter } from './host';
export type { JobsApi, JobInfo, JobProgress, JobState } from './jobs';
export type * from './project';
