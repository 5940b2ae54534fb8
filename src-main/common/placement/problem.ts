/**
 * The placement problem file: a fleet of edge nodes, the models they can run, the workloads to
 * place, and an optional cloud reached over a link. Units are part of the field names.
 *
 * Per-(model, device type) figures (energy and latency per inference, memory) are given in the
 * file; the energy model fills them for a project, the fleet generator derives them from the
 * device library. Keying them by model rather than by workload keeps a fleet of 50,000 cameras
 * that run five models small; a workload-specific figure is a model used by one workload.
 *
 * @example
 * const problem = parseProblem(JSON.parse(text)); // throws ScheduleError naming each JSON path
 */
import { z } from 'zod';
import { ScheduleError } from '../errors';
import { parseWith, problemToSentence, type ValidationProblem } from '../validation';

const id = z.string().min(1);
const fraction = z.number().min(0).max(1);

export const nodeSchema = z.strictObject({
  id,
  /** Device library id (`jetson-nano-10w`) or any label shared by identical nodes. */
  deviceType: id,
  /** Where the node is (a building, a pole, a rack): groups nodes on the map. */
  site: z.string().default(''),
  /** Sustained compute the node offers, in MAC per second. */
  computeMacPerS: z.number().positive(),
  memoryMB: z.number().positive(),
  /** Energy the node may spend per period (battery, solar harvest); absent: unlimited. */
  energyBudgetJ: z.number().nonnegative().optional(),
  /** Power drawn while the node is on; a node with no workload is assumed switched off. */
  idlePowerW: z.number().nonnegative(),
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
  /** Input sent per inference when the workload runs in the cloud. */
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
  /** Latency service level: one inference must finish within this. */
  sloMs: z.number().positive(),
  accuracyFloor: fraction.optional(),
  /** Device types the workload may run on; absent: any. */
  allowedDeviceTypes: z.array(id).optional(),
  /** False keeps the workload at the edge (privacy, no link). */
  allowCloud: z.boolean().default(true),
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
    schemaVersion: z.literal(1),
    name: z.string().optional(),
    /** Planning period: energy budgets and the objective are per period. */
    periodS: z.number().positive(),
    /** Joules the planner would pay to remove one unit of load imbalance (docs/placement.md). */
    lambdaJ: z.number().nonnegative().default(0),
    nodes: z.array(nodeSchema).min(1),
    models: z.array(modelSchema).min(1),
    workloads: z.array(workloadSchema).min(1),
    cloud: cloudSchema.optional(),
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const unique = (list: { id: string }[], field: string) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.id)) issue([field, i, 'id'], `repeats the id ${JSON.stringify(item.id)}`);
        seen.add(item.id);
      });
      return seen;
    };
    const nodeIds = unique(p.nodes, 'nodes');
    const modelIds = unique(p.models, 'models');
    unique(p.workloads, 'workloads');
    if (p.cloud && nodeIds.has(p.cloud.id)) issue(['cloud', 'id'], `repeats the node id ${JSON.stringify(p.cloud.id)}`);
    const types = new Set(p.nodes.map((n) => n.deviceType));
    p.workloads.forEach((w, i) => {
      if ((w.model === undefined) === (w.variants === undefined)) {
        issue(['workloads', i], 'needs exactly one of "model" or "variants"');
      }
      if (w.model !== undefined && !modelIds.has(w.model)) {
        issue(['workloads', i, 'model'], `names the model ${JSON.stringify(w.model)}, which is not in "models"`);
      }
      w.variants?.forEach((m, k) => {
        if (!modelIds.has(m)) issue(['workloads', i, 'variants', k], `names the model ${JSON.stringify(m)}, which is not in "models"`);
      });
      w.allowedDeviceTypes?.forEach((t, k) => {
        if (!types.has(t)) issue(['workloads', i, 'allowedDeviceTypes', k], `names the device type ${JSON.stringify(t)}, which no node has`);
      });
    });
  });

export type PlacementProblem = z.output<typeof placementProblemSchema>;
/** What a problem file may contain (defaults not yet applied). */
export type PlacementProblemInput = z.input<typeof placementProblemSchema>;
export type PlacementNode = PlacementProblem['nodes'][number];
export type PlacementModel = PlacementProblem['models'][number];
export type PlacementWorkload = PlacementProblem['workloads'][number];
export type CloudLink = NonNullable<PlacementProblem['cloud']>;

/** The device type the cloud node has in results and on the map. */
export const CLOUD_DEVICE_TYPE = 'cloud';

/** Validates a parsed JSON document; problems name the JSON path (`workloads[3].sloMs: ...`). */
export function validateProblem(data: unknown): { ok: true; value: PlacementProblem } | { ok: false; problems: ValidationProblem[] } {
  return parseWith(placementProblemSchema, data);
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
