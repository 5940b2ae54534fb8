/**
 * What Joule puts in Redis: which job kinds travel, their BullMQ queues, and the keys of the
 * cancel flags, content-addressed blobs and worker registrations. Every key starts with `joule:`
 * so one Redis can serve other applications too.
 */
import { stableJson } from '../../common/stable-json';
import { sha256Hex } from '../../core/io/hash';
import type { QueueKindWord } from '../../common/api/jobs';
import type { JouleJobKind } from '../catalog';

/** BullMQ's key prefix for Joule's queues. */
export const QUEUE_PREFIX = 'joule';

/** The job kinds a queue worker runs: the long ones a sweep is made of. Everything else runs on this computer. */
export const queueKinds = ['prune.run', 'train.run', 'placement.run', 'placement.pareto'] as const satisfies readonly JouleJobKind[];
export type QueueKind = (typeof queueKinds)[number];

/** The kinds a worker is given with `--kinds`, by the words a planner uses. */
export const kindGroups: Readonly<Record<QueueKindWord, readonly QueueKind[]>> = {
  prune: ['prune.run'],
  train: ['train.run'],
  schedule: ['placement.run', 'placement.pareto'],
};

export function isQueueKind(kind: string): kind is QueueKind {
  return (queueKinds as readonly string[]).includes(kind);
}

/** One BullMQ queue per job kind: `prune-run`, `placement-pareto`. */
export const queueName = (kind: QueueKind): string => kind.replace('.', '-');

/** A job's BullMQ id: the hash of its kind and travelling request, so equal requests are one job. */
export const bullJobId = (kind: QueueKind, packed: unknown): string => `${queueName(kind)}-${sha256Hex(`${kind}\n${stableJson(packed)}`)}`;

/** The queue of the parents of sweeps (BullMQ flows): every worker gathers their tables. */
export const GATHER_QUEUE = 'sweep-gather';

/** Set by the submitter; the task checks it between steps. */
export const cancelKey = (bullJobId: string): string => `joule:cancel:${bullJobId}`;
/** Who follows a job (submitters that want its result): cancel stops the job only when the last one cancels. */
export const followersKey = (bullJobId: string): string => `joule:followers:${bullJobId}`;
/** A file's bytes by its sha256. */
export const blobKey = (sha256: string): string => `joule:blob:${sha256}`;
/** A worker's registration (capabilities, kinds), expiring unless its heartbeat renews it. */
export const workerKey = (workerId: string): string => `joule:worker:${workerId}`;
export const WORKER_KEY_PATTERN = 'joule:worker:*';
