/**
 * The placement problem of a project: its device rows become nodes (a row with `count: 3` is
 * three nodes, `dev-2#1` .. `dev-2#3`), its workloads the work to place, and the energy model
 * supplies the figures of every (model, device type) pair.
 *
 * - Node capacity is the device's effective MAC rate; a model's MACs on a device type are its
 *   predicted latency times that rate, so utilization is the fraction of time the node is busy
 *   (memory-bound layers count for what they cost, not for their MACs).
 * - Energy per inference is the model's dynamic energy (the analysis minus the static part): the
 *   idle power of a switched-on node is charged per period separately.
 * - A model that does not fit a device type's memory has no figures for it, so it cannot go there.
 * - Energy budgets: a daily budget scales to the period; a battery's capacity is its budget per
 *   period (recharged between periods); mains power has none.
 * - A workload whose model has compressed variants (models naming it as their parent) may run
 *   any of them that meets its accuracy floor; each variant's accuracy comes from its card.
 * - Cloud (when the project has one): an offloaded inference sends the model's input tensor over
 *   the uplink, paying the radio's energy (Huang et al.'s model at the link's rate) and the round
 *   trip plus the server's time, which is the slowest of the project's models on a cloud T4.
 */
import path from 'node:path';
import type { PlacementProblem } from '../../common/placement/problem';
import { CLOUD_NODE_ID, type ProjectCloud, type ProjectDocument } from '../../common/project/schema';
import { ScheduleError } from '../../common/errors';
import { analyzeModel } from '../energy/analyze';
import { cloudT4Profile } from '../energy/builtin-profiles';
import type { DeviceLibrary } from '../energy/device-library';
import { resolveHardware } from '../energy/hardware';
import { RADIO_MODELS, transmitCost } from '../energy/radio';
import { defaultPrecision } from '../energy/resolve-profile';
import { DTYPE_BYTES } from '../onnx/dtype';
import type { Model } from '../onnx/ir';
import { flattenControlFlow } from '../onnx/control-flow';
import { withInputShapes } from '../onnx/input-shapes';
import { readOnnxFile } from '../onnx/read';
import { resolveModelPath } from '../project/paths';
import { cardBeside } from '../zoo/small/card';
import { countModel } from '../onnx/count';

const WH_TO_J = 3600;
const DAY_S = 86_400;

export function nodeIdOf(deviceId: string, k: number): string {
  return `${deviceId}#${k}`;
}

export function problemFromProject(document: ProjectDocument, baseDir: string, library: DeviceLibrary): PlacementProblem {
  if (!document.workloads.length) throw new ScheduleError('The project has no workloads to place; add some on the Placement screen.');
  if (!document.devices.length) throw new ScheduleError('The project has no devices to place workloads on.');
  const { periodS, lambdaJ } = document.placement;
  const siteName = new Map(document.sites.map((s) => [s.id, s.name]));
  const types = [...new Set(document.devices.map((d) => d.type))];
  const hardware = new Map(types.map((t) => {
    const profile = library.get(t);
    return [t, { profile, precision: defaultPrecision(profile), hw: resolveHardware(profile, defaultPrecision(profile)) }];
  }));

  const nodes = document.devices.flatMap((d) => {
    const { profile, hw } = hardware.get(d.type)!;
    const energyBudgetJ = d.power === 'daily-budget' && d.energyWh !== null ? d.energyWh * WH_TO_J * (periodS / DAY_S) : d.power === 'battery' && d.energyWh !== null ? d.energyWh * WH_TO_J : undefined;
    return Array.from({ length: d.count }, (_, i) => ({
      id: nodeIdOf(d.id, i + 1),
      deviceType: d.type,
      site: siteName.get(d.siteId) ?? d.siteId,
      computeMacPerS: hw.macsPerSecond,
      memoryMB: d.ramMB,
      ...(energyBudgetJ === undefined ? {} : { energyBudgetJ }),
      idlePowerW: profile.idlePowerW.value,
    }));
  });

  const cloud = document.placement.cloud;
  const cloudProfile = cloud ? cloudT4Profile() : null;
  let serverLatencyMs = 0;
  // A workload may run its model or any compressed variant of it (those meeting its accuracy floor, as compiled).
  const variantsOf = (modelId: string) => [modelId, ...document.models.filter((m) => m.parentId === modelId).map((m) => m.id)];
  const used = new Set(document.workloads.flatMap((w) => variantsOf(w.modelId)));
  const models = document.models
    .filter((m) => used.has(m.id))
    .map((m) => {
      const file = resolveModelPath(baseDir, m.path);
      // The planner's sizes for dynamic inputs; control flow costed flat (core/onnx/control-flow.ts).
      const model = flattenControlFlow(withInputShapes(readOnnxFile(file, { weights: 'skip' }), m.inputShapes)).model;
      const { macs } = countModel(model);
      const card = cardBeside(file);
      let memoryMB = 0;
      const perDevice: PlacementProblem['models'][number]['perDevice'] = {};
      for (const [type, { profile, precision, hw }] of hardware) {
        const a = analyzeModel(model, profile, { precision, name: path.basename(file) });
        memoryMB = Math.max(memoryMB, (a.totals.weightBytes + a.totals.peakActivationBytes) / 1e6);
        if (!a.totals.fits) continue;
        perDevice[type] = {
          energyJ: Math.max(0, a.totals.energyJ - a.totals.staticJ),
          latencyMs: a.totals.latencyMs,
          macs: (a.totals.latencyMs / 1000) * hw.macsPerSecond,
          memoryMB: (a.totals.weightBytes + a.totals.peakActivationBytes) / 1e6,
        };
      }
      if (cloudProfile) serverLatencyMs = Math.max(serverLatencyMs, analyzeModel(model, cloudProfile, { precision: 'fp16' }).totals.latencyMs);
      return { id: m.id, macs, memoryMB, ...(card && card.testSamples > 0 ? { accuracy: card.testAccuracy } : {}), inputMB: cloud ? inputBytes(model, m.label) / 1e6 : 0, perDevice };
    });

  const workloads = document.workloads.map((w) => ({
    id: w.id,
    ...(variantsOf(w.modelId).length > 1 ? { variants: variantsOf(w.modelId) } : { model: w.modelId }),
    ratePerS: w.ratePerS,
    sloMs: w.sloMs,
    ...(w.accuracyFloor === undefined ? {} : { accuracyFloor: w.accuracyFloor }),
    ...(w.allowedDeviceTypes ? { allowedDeviceTypes: w.allowedDeviceTypes.filter((t) => types.includes(t)) } : {}),
    allowCloud: !!cloud && !w.edgeOnly,
    ...(w.siteId ? { site: siteName.get(w.siteId) ?? w.siteId } : {}),
  }));

  return { schemaVersion: 1, name: document.name, periodS, lambdaJ, nodes, models, workloads, ...(cloud ? { cloud: cloudLink(cloud, serverLatencyMs) } : {}) };
}

function cloudLink(cloud: ProjectCloud, serverLatencyMs: number): NonNullable<PlacementProblem['cloud']> {
  return {
    id: CLOUD_NODE_ID,
    site: 'Cloud',
    uplinkMbps: cloud.uplinkMbps,
    rttMs: cloud.rttMs,
    transmitJPerMB: transmitCost(1e6, cloud.uplinkMbps, RADIO_MODELS[cloud.radio]).energyJ,
    serverLatencyMs,
  };
}

/** Bytes of the model's inputs for one inference: a symbolic first (batch) dimension counts as 1. */
function inputBytes(model: Model, label: string): number {
  let bytes = 0;
  for (const input of model.graph.inputs) {
    if (model.graph.initializers.has(input.name)) continue;
    const dims = input.shape;
    const unknown = dims === null ? 0 : dims.findIndex((d, axis) => axis > 0 && typeof d !== 'number');
    if (dims === null || unknown > 0) {
      throw new ScheduleError(`Model "${label}" has input '${input.name}' of unknown size${dims === null ? '' : ` (dimension ${unknown} is '${dims[unknown]}')`}, so the data it would send to the cloud is unknown; export it with a fixed input shape.`);
    }
    bytes += dims.reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), 1) * DTYPE_BYTES[input.dtype];
  }
  return bytes;
}
