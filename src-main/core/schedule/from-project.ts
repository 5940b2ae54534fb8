/**
 * The placement problem of a project: its device rows become nodes (a row with `count: 3` is
 * three nodes, `dev-2#1` .. `dev-2#3`), its sites and links the network, its workloads the work
 * to place, and the energy model supplies the figures of every (model, device type) pair.
 *
 * - Node capacity is the device's effective MAC rate; a model's MACs on a device type are its
 *   predicted latency times that rate, so utilization is the fraction of time the node is busy
 *   (memory-bound layers count for what they cost, not for their MACs).
 * - Energy per inference is the model's dynamic energy (the analysis minus the static part): idle
 *   power is charged per period by the node's power state (always-on on mains unless the row
 *   says otherwise, may-sleep on a budget), with the row's wake-up energy.
 * - A model that does not fit a device type's memory has no figures for it, so it cannot go there.
 * - Energy budgets: a daily budget scales to the period; a battery's capacity is its budget per
 *   period (recharged between periods); mains power has none.
 * - An accelerator row (a library device marked `accelerator`) attached to a host row becomes
 *   nodes whose host is the host row's node with the same number (rows sharing a host row fill
 *   its nodes in file order); the host's extra power while feeding it is the host's loaded minus
 *   idle power.
 * - Sites are named by their names in the problem (the map shows them); a name two sites share
 *   gets the site id appended. Inputs cross a LAN or a link as the model's raw input tensor.
 * - A workload whose model has compressed variants (models naming it as their parent) may run
 *   any of them that meets its accuracy floor; each variant's accuracy comes from its card.
 * - Cloud (when the project has one): an offloaded inference sends the model's input tensor over
 *   the uplink, paying the radio's energy (Huang et al.'s model at the link's rate) and the round
 *   trip plus the server's time, which is the slowest of the project's models on a cloud T4.
 */
import path from 'node:path';
import type { PlacementProblem } from '../../common/placement/problem';
import { devicePowerState } from '../../common/project/fleet-rules';
import { CLOUD_NODE_ID, type Device, type ProjectCloud, type ProjectDocument } from '../../common/project/schema';
import { ScheduleError } from '../../common/errors';
import { analyzeModel } from '../energy/analyze';
import { cloudT4Profile } from '../energy/builtin-profiles';
import type { DeviceLibrary } from '../energy/device-library';
import { resolveHardware } from '../energy/hardware';
import { RADIO_MODELS, transmitCost } from '../energy/radio';
import { defaultPrecision } from '../energy/resolve-profile';
import { DTYPE_BYTES } from '../onnx/dtype';
import { withInputShapes } from '../onnx/input-shapes';
import type { Model } from '../onnx/ir';
import { readOnnxFile } from '../onnx/read';
import { resolveModelPath } from '../project/paths';
import { cardBeside } from '../zoo/small/card';
import { countModel } from '../onnx/count';

const WH_TO_J = 3600;
const DAY_S = 86_400;

export function nodeIdOf(deviceId: string, k: number): string {
  return `${deviceId}#${k}`;
}

type ProblemNode = PlacementProblem['nodes'][number];

export function problemFromProject(document: ProjectDocument, baseDir: string, library: DeviceLibrary): PlacementProblem {
  if (!document.workloads.length) throw new ScheduleError('The project has no workloads to place; add some on the Placement screen.');
  if (!document.devices.length) throw new ScheduleError('The project has no devices to place workloads on.');
  const { periodS, lambdaJ } = document.placement;
  const siteLabel = siteLabels(document);
  const types = [...new Set(document.devices.map((d) => d.type))];
  const hardware = new Map(types.map((t) => {
    const profile = library.get(t);
    return [t, { profile, precision: defaultPrecision(profile), hw: resolveHardware(profile, defaultPrecision(profile)) }];
  }));
  checkAccelerators(document, library);

  const hostNode = acceleratorHosts(document);
  const nodes = document.devices.flatMap((d): ProblemNode[] => {
    const { profile, hw } = hardware.get(d.type)!;
    const energyBudgetJ = d.power === 'daily-budget' && d.energyWh !== null ? d.energyWh * WH_TO_J * (periodS / DAY_S) : d.power === 'battery' && d.energyWh !== null ? d.energyWh * WH_TO_J : undefined;
    const hostRow = d.host ? document.devices.find((h) => h.id === d.host!.deviceId)! : null;
    const hostProfile = hostRow ? hardware.get(hostRow.type)!.profile : null;
    return Array.from({ length: d.count }, (_, i) => ({
      id: nodeIdOf(d.id, i + 1),
      deviceType: d.type,
      site: siteLabel(d.siteId),
      computeMacPerS: hw.macsPerSecond,
      memoryMB: d.ramMB,
      idlePowerW: profile.idlePowerW.value,
      ...(hostRow
        ? {
            wakeUpJ: 0,
            host: { nodeId: hostNode(d, i + 1), cpuMsPerInference: d.host!.cpuMsPerInference, cpuPowerW: Math.max(0, hostProfile!.loadedPowerW.value - hostProfile!.idlePowerW.value) },
          }
        : { ...(energyBudgetJ === undefined ? {} : { energyBudgetJ }), powerState: devicePowerState(d), wakeUpJ: d.wakeUpJ ?? 0 }),
    }));
  });

  const cloud = document.placement.cloud;
  const links = document.links ?? [];
  const sendsInputs = !!cloud || links.length > 0 || document.sites.some((s) => s.lan);
  const cloudProfile = cloud ? cloudT4Profile() : null;
  let serverLatencyMs = 0;
  // A workload may run its model or any compressed variant of it (those meeting its accuracy floor, as compiled).
  const variantsOf = (modelId: string) => [modelId, ...document.models.filter((m) => m.parentId === modelId).map((m) => m.id)];
  const used = new Set(document.workloads.flatMap((w) => variantsOf(w.modelId)));
  const models = document.models
    .filter((m) => used.has(m.id))
    .map((m) => {
      const file = resolveModelPath(baseDir, m.path);
      const model = withInputShapes(readOnnxFile(file, { weights: 'skip' }), m.inputShapes);
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
      return { id: m.id, macs, memoryMB, ...(card && card.testSamples > 0 ? { accuracy: card.testAccuracy } : {}), inputMB: sendsInputs ? inputBytes(model, m.label) / 1e6 : 0, perDevice };
    });

  const workloads = document.workloads.map((w) => ({
    id: w.id,
    ...(variantsOf(w.modelId).length > 1 ? { variants: variantsOf(w.modelId) } : { model: w.modelId }),
    ratePerS: w.ratePerS,
    sloMs: w.sloMs,
    ...(w.accuracyFloor === undefined ? {} : { accuracyFloor: w.accuracyFloor }),
    ...(w.allowedDeviceTypes ? { allowedDeviceTypes: w.allowedDeviceTypes.filter((t) => types.includes(t)) } : {}),
    allowCloud: !!cloud && !w.edgeOnly,
    ...(w.siteId ? { site: siteLabel(w.siteId) } : {}),
  }));

  return {
    schemaVersion: 2,
    name: document.name,
    periodS,
    lambdaJ,
    utilizationLimit: document.placement.utilizationLimit ?? 1,
    sites: document.sites.map((s) => ({ id: siteLabel(s.id), ...(s.lan ? { lan: { ...s.lan } } : {}) })),
    links: links.map((l) => ({ id: l.id, a: siteLabel(l.siteA), b: siteLabel(l.siteB), ...(l.mbps === undefined ? {} : { mbps: l.mbps }), rttMs: l.rttMs, jPerMB: l.jPerMB })),
    nodes,
    models,
    workloads,
    ...(cloud ? { cloud: cloudLink(cloud, serverLatencyMs) } : {}),
  };
}

/** The label of each site in the problem: its name, with its id when another site has the same name. */
function siteLabels(document: ProjectDocument): (siteId: string) => string {
  const count = new Map<string, number>();
  for (const s of document.sites) count.set(s.name, (count.get(s.name) ?? 0) + 1);
  const label = new Map(document.sites.map((s) => [s.id, count.get(s.name)! > 1 ? `${s.name} (${s.id})` : s.name]));
  return (siteId) => label.get(siteId) ?? siteId;
}

/** Accelerator rows must be library accelerators on hosts that are not; the schema checked the rest. */
function checkAccelerators(document: ProjectDocument, library: DeviceLibrary): void {
  document.devices.forEach((d, i) => {
    const accelerator = library.get(d.type).accelerator === true;
    if (d.host && !accelerator) {
      throw new ScheduleError(`Device row "${d.name}" (devices[${i}].host) is attached to a host, but its type ${d.type} is not an accelerator in the device library; only a USB accelerator such as intel-ncs2 is plugged into a host.`);
    }
    const host = d.host ? document.devices.find((h) => h.id === d.host!.deviceId) : undefined;
    if (host && library.get(host.type).accelerator === true) {
      throw new ScheduleError(`Device row "${d.name}" (devices[${i}].host.deviceId) names host row "${host.name}", whose type ${host.type} is an accelerator, not a computer.`);
    }
  });
}

/** The host node of the k-th node of an accelerator row: rows attached to one host row fill its nodes in file order. */
function acceleratorHosts(document: ProjectDocument): (row: Device, k: number) => string {
  const first = new Map<string, number>();
  const taken = new Map<string, number>();
  for (const d of document.devices) {
    if (!d.host) continue;
    const used = taken.get(d.host.deviceId) ?? 0;
    first.set(d.id, used);
    taken.set(d.host.deviceId, used + d.count);
  }
  return (row, k) => nodeIdOf(row.host!.deviceId, first.get(row.id)! + k);
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
      throw new ScheduleError(`Model "${label}" has input '${input.name}' of unknown size${dims === null ? '' : ` (dimension ${unknown} is '${dims[unknown]}')`}, so the data it would send over a link or to the cloud is unknown; give the input's size on the Models screen or export it with a fixed input shape.`);
    }
    bytes += dims.reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), 1) * DTYPE_BYTES[input.dtype];
  }
  return bytes;
}
