/**
 * The placement problem file: a fleet of edge nodes at sites, the network between the sites, the
 * models the nodes can run, the workloads to place, and an optional cloud reached over a link.
 * Units are part of the field names. docs/placement.md defines every term.
 *
 * Per-(model, device type) figures (energy and latency per inference, memory) are given in the
 * file; the energy model fills them for a project, the fleet generator derives them from the
 * device library. Keying them by model rather than by workload keeps a fleet of 50,000 cameras
 * that run five models small; a workload-specific figure is a model used by one workload.
 *
 * Version 2 added sites with their LAN, links between sites, where each workload's inputs come
 * from, node power states, accelerators on hosts and the utilization limit; a version 1 file is
 * read as it was meant (see `upgradeProblemV1`).
 *
 * @example
 * const problem = parseProblem(JSON.parse(text)); // throws ScheduleError naming each JSON path
 */
import { z } from 'zod';
import { ScheduleError } from '../errors';
import { formatLimit, MAX_FLEET_NODES, MAX_PERIOD_S, MAX_WORKLOADS, MIN_PERIOD_S } from '../limits';
import { describeValue, parseWith, problemToSentence, type ValidationProblem } from '../validation';
import { powerStates } from './power';
import { checkProblemReferences } from './problem-references';

const periodMessage = (iss: { input?: unknown }) => `expected a number of seconds from ${MIN_PERIOD_S} to ${formatLimit(MAX_PERIOD_S)} (ten years, docs/limits.md), got ${describeValue(iss.input)}`;

const id = z.string().min(1);
const fraction = z.number().min(0).max(1);

/** A network hop: a site's LAN or a link between two sites. */
const hopFields = {
  /** Capacity shared by every input that crosses it, Mb/s; absent: not a constraint. */
  mbps: z.number().positive().optional(),
  /** Round trip added to each inference that crosses it (input one way, result back), ms. */
  rttMs: z.number().nonnegative(),
  /** Energy to carry one MB across it (both ends' interfaces and the equipment between), J/MB. */
  jPerMB: z.number().nonnegative(),
};

export const lanSchema = z.strictObject(hopFields);

export const siteSchema = z.strictObject({
  /** The label nodes and workloads give in `site`. */
  id,
  /** The site's local network; absent: free, instant and unlimited. */
  lan: lanSchema.optional(),
});

export const linkSchema = z.strictObject({
  id,
  /** The two sites it joins; inputs may cross it in either direction, sharing its capacity. */
  a: id,
  b: id,
  ...hopFields,
});

export const acceleratorHostSchema = z.strictObject({
  /** The node the accelerator is plugged into (same site; one accelerator per host). */
  nodeId: id,
  /**
   * Host compute time each inference served by the accelerator needs (decoding, resizing, USB
   * transfer, post-processing), in ms of the host's whole compute: 8 ms on one core of four is 2.
   */
  cpuMsPerInference: z.number().nonnegative(),
  /** The host's power above idle while that work runs (loaded minus idle), W. */
  cpuPowerW: z.number().nonnegative(),
});

export const nodeSchema = z.strictObject({
  id,
  /** Device library id (`jetson-nano-10w`) or any label shared by identical nodes. */
  deviceType: id,
  /** The site the node is at (a building, a pole, a rack): groups nodes on the map, sets the network path. */
  site: z.string().default(''),
  /** Sustained compute the node offers, in MAC per second. */
  computeMacPerS: z.number().positive(),
  memoryMB: z.number().positive(),
  /** Energy the node may spend per period (battery, solar harvest), idle included; absent: unlimited. */
  energyBudgetJ: z.number().nonnegative().optional(),
  /** Power drawn while the node is on and not computing. */
  idlePowerW: z.number().nonnegative(),
  /** Absent: always-on without an energy budget (mains), may-sleep with one. */
  powerState: z.enum(powerStates).optional(),
  /** A node that may sleep spends this once per period when it serves anything (boot, model load), J. */
  wakeUpJ: z.number().nonnegative().default(0),
  /** Set on an accelerator (USB stick): the host that feeds it, whose power, budget and link it shares. */
  host: acceleratorHostSchema.optional(),
});

export const deviceFiguresSchema = z.strictObject({
  /** Dynamic energy of one inference on this device type, above idle. */
  energyJ: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
  /** Overrides the model's MACs on this device type (a different kernel or precision). */
  macs: z.number().nonnegative().optional(),
  /** Overrides the model's memory on this device type (int8 vs fp16 weights). */
  memoryMB: z.number().nonnegative().optional(),
});

export const modelSchema = z.strictObject({
  id,
  /** Multiply-accumulates of one inference. */
  macs: z.number().nonnegative(),
  /** Resident memory of one loaded instance (weights, activations, runtime). */
  memoryMB: z.number().nonnegative(),
  /** Top-1 accuracy as a fraction, for accuracy floors; absent: unknown (fails any floor). */
  accuracy: fraction.optional(),
  /** Input sent per inference over a LAN, a link or to the cloud. */
  inputMB: z.number().nonnegative().default(0),
  /** Figures per device type; a device type missing here cannot run the model. */
  perDevice: z.record(z.string(), deviceFiguresSchema),
});

export const workloadSchema = z.strictObject({
  id,
  /** The model to run; give `model` or `variants`, not both. */
  model: id.optional(),
  /** Interchangeable variants of one model (pruned, quantised): the placement picks one. */
  variants: z.array(id).min(1).optional(),
  ratePerS: z.number().positive(),
  /** Latency service level: one inference, transfers included, must finish within this. */
  sloMs: z.number().positive(),
  accuracyFloor: fraction.optional(),
  /** Device types the workload may run on; absent: any. */
  allowedDeviceTypes: z.array(id).optional(),
  /** False keeps the workload at the edge (privacy, no link). */
  allowCloud: z.boolean().default(true),
  /** Where its inputs come from: served at another site they cross a link; absent: no transfer anywhere. */
  site: z.string().optional(),
});

export const cloudSchema = z.strictObject({
  id,
  site: z.string().default('cloud'),
  /** Link bandwidth shared by every offloaded workload: the cloud's only capacity. */
  uplinkMbps: z.number().positive(),
  rttMs: z.number().nonnegative(),
  /** Radio energy spent at the edge per MB sent (Huang et al., MobiSys 2012: linear in throughput). */
  transmitJPerMB: z.number().nonnegative(),
  /** Server-side inference time added to the link latency. */
  serverLatencyMs: z.number().nonnegative().default(0),
});

export const placementProblemSchema = z
  .strictObject({
    schemaVersion: z.literal(2),
    name: z.string().optional(),
    /** Planning period: energy budgets and the objective are per period. */
    periodS: z.number().min(MIN_PERIOD_S, { error: periodMessage }).max(MAX_PERIOD_S, { error: periodMessage }),
    /** Joules the planner would pay to lower the busiest node's utilization by 1 (docs/placement.md). */
    lambdaJ: z.number().nonnegative().default(0),
    /** No edge node may be busier than this fraction of its compute (headroom for bursts). */
    utilizationLimit: z.number().positive().max(1).default(1),
    /** Sites that have a LAN worth describing; a site only named by nodes has a free LAN. */
    sites: z.array(siteSchema).default([]),
    /** Links between sites; two sites without one cannot serve each other's workloads. */
    links: z.array(linkSchema).default([]),
    nodes: z.array(nodeSchema).min(1).max(MAX_FLEET_NODES, { error: `has more than ${formatLimit(MAX_FLEET_NODES)} nodes, the limit (docs/limits.md)` }),
    models: z.array(modelSchema).min(1),
    workloads: z.array(workloadSchema).min(1).max(MAX_WORKLOADS, { error: `has more than ${formatLimit(MAX_WORKLOADS)} workloads, the limit (docs/limits.md)` }),
    cloud: cloudSchema.optional(),
  })
  .superRefine((p, ctx) => {
    for (const { path, message } of checkProblemReferences(p)) ctx.addIssue({ code: 'custom', path, message });
  });

export type PlacementProblem = z.output<typeof placementProblemSchema>;
/** What a problem file may contain (defaults not yet applied). */
export type PlacementProblemInput = z.input<typeof placementProblemSchema>;
export type PlacementNode = PlacementProblem['nodes'][number];
export type PlacementModel = PlacementProblem['models'][number];
export type PlacementWorkload = PlacementProblem['workloads'][number];
export type PlacementSite = PlacementProblem['sites'][number];
export type PlacementLink = PlacementProblem['links'][number];
export type AcceleratorHost = NonNullable<PlacementNode['host']>;
export type CloudLink = NonNullable<PlacementProblem['cloud']>;

/** The device type the cloud node has in results and on the map. */
export const CLOUD_DEVICE_TYPE = 'cloud';

/**
 * A version 1 file as version 2 reads it, unchanged in meaning: every node may sleep (version 1
 * charged idle power only to nodes that serve) and workloads lose `site`, which was a label
 * with no effect. Anything else is returned as it is.
 */
export function upgradeProblemV1(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || (data as { schemaVersion?: unknown }).schemaVersion !== 1) return data;
  const v1 = data as Record<string, unknown>;
  return {
    ...v1,
    schemaVersion: 2,
    ...(Array.isArray(v1.nodes) ? { nodes: v1.nodes.map((n: unknown) => (isObject(n) ? { powerState: 'may-sleep', ...n } : n)) } : {}),
    ...(Array.isArray(v1.workloads) ? { workloads: v1.workloads.map((w: unknown) => (isObject(w) ? withoutSite(w) : w)) } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutSite(w: Record<string, unknown>): Record<string, unknown> {
  const { site: _label, ...rest } = w;
  return rest;
}

/** Validates a parsed JSON document (version 1 or 2); problems name the JSON path (`workloads[3].sloMs: ...`). */
export function validateProblem(data: unknown): { ok: true; value: PlacementProblem } | { ok: false; problems: ValidationProblem[] } {
  return parseWith(placementProblemSchema, upgradeProblemV1(data));
}

/** Like `validateProblem` but throws a ScheduleError whose message lists every problem. */
export function parseProblem(data: unknown): PlacementProblem {
  const result = validateProblem(data);
  if (result.ok) return result.value;
  const shown = result.problems.slice(0, 20).map(problemToSentence);
  const more = result.problems.length > shown.length ? ` (and ${result.problems.length - shown.length} more)` : '';
  throw new ScheduleError(`The placement problem is invalid: ${shown.join('; ')}${more}.`, { problems: result.problems });
}

/** The workload's variants in file order; a single `model` is a list of one. */
export function variantsOf(w: PlacementWorkload): string[] {
  return w.variants ?? (w.model !== undefined ? [w.model] : []);
}
