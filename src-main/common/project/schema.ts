/**
 * The `.joule` project file, schema version 5.
 *
 * A project is one JSON document. Sections: `sites` (where devices are, and their LAN), `links`
 * (the network between sites), `devices` (the fleet inventory: each row is `count` identical
 * nodes of one library device type, with its power state, or an accelerator on a host row), `models` (ONNX files
 * referenced by a path relative to the project file, pinned by sha256; a compressed variant names
 * its parent), `budgets` (per device type limits the pruner and the scheduler must meet),
 * `compression` (finished runs of the energy-budget wizard and their options), `workloads`
 * (inference streams to place on the fleet) and `placement` (its settings and the accepted
 * placement). Older versions are upgraded by `core/project/migrate.ts`; this file only describes
 * the current version.
 */
import { z } from 'zod';
import { deviceIdSchema, radioTypes } from '../devices/profile';
import { powerStates } from '../placement/power';
import { pruneCriteria } from '../pruning/criteria';
import { describeValue } from '../validation';
import { formatLimit, MAX_DEVICE_COUNT, MAX_ONNX_DIM, MAX_ONNX_TENSOR_ELEMENTS, MAX_FLEET_NODES, MAX_PERIOD_S, MAX_PROJECT_ROWS, MAX_WORKLOADS, MIN_PERIOD_S } from '../limits';
import { checkFleetRules } from './fleet-rules';

export const CURRENT_SCHEMA_VERSION = 5;
export const PROJECT_FILE_EXTENSION = '.joule';

export const powerModes = ['mains', 'daily-budget', 'battery'] as const;
export type PowerMode = (typeof powerModes)[number];

/** Ids inside a project: short, stable, unique within their section. */
export const localIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  error: (iss) => `expected an id of letters, digits, '.', '_' or '-', got ${describeValue(iss.input)}`,
});

/** One message for every way a number can be wrong: missing, not a number, out of range. */
const expected = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `is missing (expected ${what})` : `expected ${what}, got ${describeValue(iss.input)}`;
const positive = (what: string) => z.number({ error: expected(what) }).positive({ error: expected(what) });
const nonNegative = (what: string) => z.number({ error: expected(what) }).nonnegative({ error: expected(what) });
const deviceCount = expected(`a whole number from 1 to ${formatLimit(MAX_DEVICE_COUNT)} (the limit of nodes per device row, docs/limits.md)`);
const periodS = expected(`a number of seconds from ${MIN_PERIOD_S} to ${formatLimit(MAX_PERIOD_S)} (ten years, docs/limits.md)`);
/** A project list of at most `max` rows (docs/limits.md). */
const rows = <T extends z.ZodType>(item: T, max = MAX_PROJECT_ROWS) => z.array(item).max(max, { error: `has more than ${formatLimit(max)} rows, the limit (docs/limits.md)` });

/** What inputs crossing a network pay (docs/placement.md, "Locality and links"). */
const networkFields = {
  /** Capacity shared by every input that crosses it, Mb/s; absent: not a constraint. */
  mbps: positive('a positive number of megabits per second').optional(),
  /** Round trip added to each inference that crosses it, ms. */
  rttMs: nonNegative('a number of milliseconds of at least 0'),
  /** Energy to carry one MB across it, J/MB. */
  jPerMB: nonNegative('a number of joules per megabyte of at least 0'),
};

/** A site's local network: every input of a workload from the site, or served at it from elsewhere, crosses it. */
export const siteLanSchema = z.strictObject(networkFields);
export type SiteLan = z.infer<typeof siteLanSchema>;

export const siteSchema = z.strictObject({
  id: localIdSchema,
  name: z.string().trim().min(1, { error: 'needs a name' }),
  /** Absent: the LAN is free, instant and unlimited. */
  lan: siteLanSchema.optional(),
  location: z
    .strictObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
    })
    .optional(),
  notes: z.string().optional(),
});
export type Site = z.infer<typeof siteSchema>;

/** Set on an accelerator row (a USB stick): the row of the computers it is plugged into. */
export const deviceHostSchema = z.strictObject({
  /** The host row; its k-th node carries this row's k-th accelerator (rows attached to one host row fill its nodes in file order). */
  deviceId: localIdSchema,
  /** Host compute time per inference the accelerator serves (decoding, resizing, USB transfer, post-processing), ms of the host's whole compute. */
  cpuMsPerInference: nonNegative('a number of milliseconds of at least 0'),
});
export type DeviceHost = z.infer<typeof deviceHostSchema>;

export const deviceSchema = z.strictObject({
  id: localIdSchema,
  name: z.string().trim().min(1, { error: 'needs a name' }),
  /** Device library id, e.g. `jetson-nano-10w`. */
  type: deviceIdSchema,
  siteId: localIdSchema,
  /** Identical nodes this row stands for. */
  count: z.number({ error: deviceCount }).int({ error: deviceCount }).min(1, { error: deviceCount }).max(MAX_DEVICE_COUNT, { error: deviceCount }),
  ramMB: positive('a positive number'),
  storageGB: positive('a positive number'),
  power: z.enum(powerModes),
  /** Wh per day for `daily-budget`, battery capacity in Wh for `battery`, null on mains. */
  energyWh: positive('a positive number').nullable(),
  uplinkMbps: nonNegative('a number of at least 0'),
  radio: z.enum(radioTypes),
  /** Absent: always-on on mains, may-sleep on a battery or a daily budget. An accelerator follows its host. */
  powerState: z.enum(powerStates).optional(),
  /** Energy a node that may sleep spends once per period when it serves anything (boot, model load), J. */
  wakeUpJ: nonNegative('a number of joules of at least 0').optional(),
  host: deviceHostSchema.optional(),
  notes: z.string().optional(),
});
export type Device = z.infer<typeof deviceSchema>;

/** A link between two sites (fibre, microwave, LTE): workloads of one may be served at the other. */
export const siteLinkSchema = z.strictObject({
  id: localIdSchema,
  siteA: localIdSchema,
  siteB: localIdSchema,
  ...networkFields,
  notes: z.string().optional(),
});
export type SiteLink = z.infer<typeof siteLinkSchema>;

export const modelRefSchema = z.strictObject({
  id: localIdSchema,
  label: z.string().trim().min(1, { error: 'needs a label' }),
  /** Path of the ONNX file relative to the project file (forward slashes). */
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, {
    error: (iss) => `expected 64 lower-case hex digits, got ${describeValue(iss.input)}`,
  }),
  sizeBytes: z.number().int().nonnegative(),
  /** Set on a compressed variant: the project model it was pruned from. */
  parentId: localIdSchema.optional(),
  /** Shapes of inputs whose dimensions the file leaves dynamic, as the planner gave them (input name -> full shape). */
  inputShapes: z
    .record(
      z.string(),
      z
        .array(z.number().int().positive({ error: 'needs positive whole numbers' }).max(MAX_ONNX_DIM, { error: `needs dimensions of at most ${formatLimit(MAX_ONNX_DIM)} (docs/limits.md)` }))
        .min(1)
        .refine((dims) => dims.reduce((a, b) => a * b, 1) <= MAX_ONNX_TENSOR_ELEMENTS, { error: `describes more than ${formatLimit(MAX_ONNX_TENSOR_ELEMENTS)} elements, the limit of one input (docs/limits.md)` }),
    )
    .optional(),
});
export type ModelRef = z.infer<typeof modelRefSchema>;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, { error: (iss) => `expected 64 lower-case hex digits, got ${describeValue(iss.input)}` });
const fraction = z.number().min(0).max(1);

/** One pruned model a wizard run produced: its file and what it costs and scores. */
export const compressionOptionSchema = z.strictObject({
  id: localIdSchema,
  deviceType: deviceIdSchema,
  criterion: z.enum(pruneCriteria),
  budgetJ: positive('a positive number of joules'),
  /** The pruned ONNX file, relative to the project file; its card sits beside it. */
  path: z.string().min(1),
  sha256: sha256Schema,
  sizeBytes: z.number().int().nonnegative(),
  energyJ: nonNegative('a number of joules'),
  originalEnergyJ: nonNegative('a number of joules'),
  accuracy: fraction.nullable(),
  originalAccuracy: fraction.nullable(),
  latencyMs: nonNegative('a number of milliseconds'),
  measuredMs: nonNegative('a number of milliseconds'),
  originalMeasuredMs: nonNegative('a number of milliseconds'),
  macs: nonNegative('a number'),
  params: nonNegative('a number'),
  memoryBytes: nonNegative('a number of bytes'),
  channels: z.array(z.strictObject({ layer: z.string(), before: z.number().int(), after: z.number().int() })),
  /** The project model this option became when the planner accepted it. */
  acceptedAs: localIdSchema.optional(),
});
export type CompressionOption = z.infer<typeof compressionOptionSchema>;

/** A finished run of the energy-budget wizard: the model, how it was pruned, and every option it produced. */
export const compressionRunSchema = z.strictObject({
  id: localIdSchema,
  modelId: localIdSchema,
  /** ISO 8601 time the run finished. */
  createdAt: z.string(),
  effort: z.enum(['quick', 'thorough']),
  /** Labelled images (a packaged dataset's name or a folder) and unlabeled images, as the wizard was given them. */
  dataset: z.string().optional(),
  unlabeled: z.string().optional(),
  options: z.array(compressionOptionSchema),
});
export type CompressionRun = z.infer<typeof compressionRunSchema>;

export const budgetSchema = z.strictObject({
  id: localIdSchema,
  label: z.string().trim().min(1, { error: 'needs a label' }),
  deviceType: deviceIdSchema,
  maxEnergyPerInferenceMJ: positive('a positive number of millijoules').optional(),
  maxLatencyMs: positive('a positive number of milliseconds').optional(),
  /** Top-1 accuracy floor as a fraction, 0.9 for 90%. */
  minAccuracy: z.number().min(0).max(1).optional(),
});
export type Budget = z.infer<typeof budgetSchema>;

export const workloadSchema = z.strictObject({
  id: localIdSchema,
  label: z.string().trim().min(1, { error: 'needs a label' }),
  /** The project model the workload runs. */
  modelId: localIdSchema,
  ratePerS: positive('a positive number of inferences per second'),
  sloMs: positive('a positive number of milliseconds'),
  /** Top-1 accuracy the model must reach, as a fraction. */
  accuracyFloor: z.number().min(0).max(1).optional(),
  /** Device library ids the workload may run on; absent: any type in the fleet. */
  allowedDeviceTypes: z.array(deviceIdSchema).optional(),
  /** Where the stream comes from (shown on the map). */
  siteId: localIdSchema.optional(),
  /** True keeps the workload at the edge (privacy, no link) when the project has a cloud. */
  edgeOnly: z.boolean().optional(),
});
export type Workload = z.infer<typeof workloadSchema>;

/** Node ids of a project: a device row with `count: 3` and id `dev-2` is `dev-2#1` .. `dev-2#3`. */
export const nodeIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}#[1-9]\d{0,5}$/);

export const placementResultSchema = z.strictObject({
  algorithm: z.string(),
  objective: z.number(),
  energyJ: z.number(),
  /** The balance term when accepted: the busiest node's utilization (schema 4: the mean absolute deviation). */
  imbalance: z.number(),
  feasible: z.boolean(),
  /** ISO 8601 time the planner accepted it. */
  acceptedAt: z.string(),
  /** Node id per workload id. */
  assignment: z.record(localIdSchema, nodeIdSchema),
  /** The model each workload runs, where it has compressed variants (absent: its own model). */
  variants: z.record(localIdSchema, localIdSchema).optional(),
});
export type PlacementResult = z.infer<typeof placementResultSchema>;

/** Node id of the cloud in placements; with a cloud, no device row may have the id `cloud`. */
export const CLOUD_NODE_ID = 'cloud#1';

export const cloudRadios = ['wifi', 'lte'] as const;

/** The link offloaded workloads take: the devices send each input over it to a cloud GPU. */
export const projectCloudSchema = z.strictObject({
  uplinkMbps: positive('a positive number of megabits per second'),
  rttMs: nonNegative('a number of milliseconds of at least 0'),
  /** The devices' uplink radio, for the transmit energy (Huang et al., MobiSys 2012). */
  radio: z.enum(cloudRadios),
});
export type ProjectCloud = z.infer<typeof projectCloudSchema>;

export const placementSettingsSchema = z.strictObject({
  /** Planning period in seconds: energy budgets and the objective are per period (default one day). */
  periodS: z.number({ error: periodS }).min(MIN_PERIOD_S, { error: periodS }).max(MAX_PERIOD_S, { error: periodS }),
  /** Joules the planner would pay to lower the busiest node's utilization by 1, i.e. 100 points (docs/placement.md). */
  lambdaJ: nonNegative('a number of at least 0'),
  /** No node may be busier than this fraction of its compute (headroom for bursts); absent: 1. */
  utilizationLimit: z.number({ error: expected('a fraction above 0 and at most 1') }).positive({ error: expected('a fraction above 0 and at most 1') }).max(1, { error: expected('a fraction above 0 and at most 1') }).optional(),
  /** Absent: every workload runs at the edge. */
  cloud: projectCloudSchema.optional(),
  result: placementResultSchema.nullable(),
});
export type PlacementSettings = z.infer<typeof placementSettingsSchema>;

export const defaultPlacementSettings = (): PlacementSettings => ({ periodS: 86_400, lambdaJ: 0, result: null });

export const projectSchema = z
  .strictObject({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    name: z.string().trim().min(1, { error: 'needs a name' }),
    description: z.string().optional(),
    sites: rows(siteSchema),
    /** Absent: no links, so every workload with a site is served at its site (or in the cloud). */
    links: rows(siteLinkSchema).optional(),
    devices: rows(deviceSchema),
    models: rows(modelRefSchema),
    budgets: rows(budgetSchema),
    compression: z.strictObject({ runs: z.array(compressionRunSchema) }),
    workloads: rows(workloadSchema, MAX_WORKLOADS),
    placement: placementSettingsSchema,
  })
  .superRefine((project, ctx) => {
    for (const section of ['sites', 'devices', 'models', 'budgets', 'workloads'] as const) {
      const seen = new Map<string, number>();
      project[section].forEach((item, index) => {
        const first = seen.get(item.id);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [section, index, 'id'],
            message: `duplicates the id "${item.id}" of ${section}[${first}]`,
          });
        } else seen.set(item.id, index);
      });
    }
    const fleetNodes = project.devices.reduce((sum, d) => sum + d.count, 0);
    if (fleetNodes > MAX_FLEET_NODES) {
      ctx.addIssue({ code: 'custom', path: ['devices'], message: `stand for ${formatLimit(fleetNodes)} nodes in all (the sum of their counts), above the limit of ${formatLimit(MAX_FLEET_NODES)} nodes per fleet (docs/limits.md)` });
    }
    const siteIds = new Set(project.sites.map((s) => s.id));
    project.devices.forEach((device, index) => {
      if (!siteIds.has(device.siteId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['devices', index, 'siteId'],
          message: `refers to site "${device.siteId}", which the project does not have`,
        });
      }
      if (device.host) return; // an accelerator's supply is its host's (fleet-rules.ts)
      if (device.power === 'mains' && device.energyWh !== null) {
        ctx.addIssue({ code: 'custom', path: ['devices', index, 'energyWh'], message: 'must be null for a device on mains power' });
      }
      if (device.power !== 'mains' && device.energyWh === null) {
        const what = device.power === 'battery' ? 'a battery capacity in Wh' : 'an energy budget in Wh per day';
        ctx.addIssue({ code: 'custom', path: ['devices', index, 'energyWh'], message: `needs ${what}` });
      }
    });
    for (const { path, message } of checkFleetRules(project)) ctx.addIssue({ code: 'custom', path, message });
    if (project.placement.cloud) {
      const clash = project.devices.findIndex((d) => `${d.id}#1` === CLOUD_NODE_ID);
      if (clash >= 0) ctx.addIssue({ code: 'custom', path: ['devices', clash, 'id'], message: `cannot be "${project.devices[clash].id}" while the project has a cloud: its nodes would share the cloud's id` });
    }
    const modelIds = new Set(project.models.map((m) => m.id));
    project.models.forEach((model, index) => {
      if (model.parentId === undefined) return;
      if (model.parentId === model.id || !modelIds.has(model.parentId)) {
        ctx.addIssue({ code: 'custom', path: ['models', index, 'parentId'], message: `refers to model "${model.parentId}", which the project does not have as another model` });
      }
    });
    const runIds = new Set<string>();
    project.compression.runs.forEach((run, index) => {
      if (runIds.has(run.id)) ctx.addIssue({ code: 'custom', path: ['compression', 'runs', index, 'id'], message: `duplicates the id "${run.id}" of another run` });
      runIds.add(run.id);
      if (!modelIds.has(run.modelId)) ctx.addIssue({ code: 'custom', path: ['compression', 'runs', index, 'modelId'], message: `refers to model "${run.modelId}", which the project does not have` });
    });
    project.workloads.forEach((workload, index) => {
      if (!modelIds.has(workload.modelId)) {
        ctx.addIssue({ code: 'custom', path: ['workloads', index, 'modelId'], message: `refers to model "${workload.modelId}", which the project does not have` });
      }
      if (workload.siteId !== undefined && !siteIds.has(workload.siteId)) {
        ctx.addIssue({ code: 'custom', path: ['workloads', index, 'siteId'], message: `refers to site "${workload.siteId}", which the project does not have` });
      }
    });
    const result = project.placement.result;
    if (result?.variants) {
      const models = new Map(project.models.map((m) => [m.id, m]));
      for (const [workload, modelId] of Object.entries(result.variants)) {
        const w = project.workloads.find((x) => x.id === workload);
        const m = models.get(modelId);
        if (w && (!m || (m.id !== w.modelId && m.parentId !== w.modelId))) {
          ctx.addIssue({ code: 'custom', path: ['placement', 'result', 'variants', workload], message: `runs model "${modelId}", which is neither the workload's model nor a variant of it` });
        }
      }
    }
    if (result) {
      const workloadIds = new Set(project.workloads.map((w) => w.id));
      const counts = new Map(project.devices.map((d) => [d.id, d.count]));
      for (const [workload, node] of Object.entries(result.assignment)) {
        if (!workloadIds.has(workload)) {
          ctx.addIssue({ code: 'custom', path: ['placement', 'result', 'assignment', workload], message: 'names a workload the project does not have' });
        }
        if (node === CLOUD_NODE_ID && project.placement.cloud) continue;
        const [device, k] = node.split('#');
        const count = counts.get(device);
        if (count === undefined || Number(k) > count) {
          ctx.addIssue({ code: 'custom', path: ['placement', 'result', 'assignment', workload], message: `places it on node "${node}", which the fleet does not have` });
        }
      }
    }
    project.budgets.forEach((budget, index) => {
      if (budget.maxEnergyPerInferenceMJ === undefined && budget.maxLatencyMs === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['budgets', index],
          message: 'needs maxEnergyPerInferenceMJ, maxLatencyMs or both',
        });
      }
    });
  });
export type ProjectDocument = z.infer<typeof projectSchema>;

/** An empty, valid project. */
export function emptyProject(name = 'Untitled project'): ProjectDocument {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, name, sites: [], devices: [], models: [], budgets: [], compression: { runs: [] }, workloads: [], placement: defaultPlacementSettings() };
}
