/**
 * Edge-cloud partition at layer granularity (after Neurosurgeon, Kang et al., ASPLOS 2017):
 * the device runs a prefix of the nodes in topological order, sends the tensors that cross
 * the cut, and the cloud runs the rest. Every prefix is a valid cut (producers always precede
 * consumers), from "everything in the cloud" (send the input) to "everything on the device".
 *
 * Per cut: device energy = device layers + radio energy to send the crossing tensors
 * (Huang et al.'s power model, `radio.ts`) + idle power while waiting for the upload, the
 * round trip and the cloud; latency = device + transmit + RTT + cloud. The result coming back
 * is small and is not charged; graph outputs produced on the device stay there.
 */
import type { PartitionBest, PartitionCutReport } from '../../common/energy/reports';
import type { Precision } from '../../common/devices/profile';
import { isFloatDtype } from '../onnx/dtype';
import { tensorSize } from '../onnx/ir';
import type { Model } from '../onnx/ir';
import { inferValues } from '../onnx/shapes';
import { sortNodes } from '../onnx/toposort';
import { analyzeModel } from './analyze';
import type { EnergyAnalysis } from './analyze';
import { cloudT4Profile } from './builtin-profiles';
import type { EnergyProfile } from './device-kind';
import { EnergyModelError } from './errors';
import { BYTES_PER_ELEMENT } from './hardware';
import { RADIO_MODELS, transmitCost } from './radio';
import type { RadioKind, RadioPowerModel } from './radio';
import { partitionReason } from './partition-reason';

export interface PartitionOptions {
  /** The profile `analysis` was computed on (its idle power is paid while waiting). */
  deviceProfile: EnergyProfile;
  /** Default: an NVIDIA T4 (`cloudT4Profile`). */
  cloudProfile?: EnergyProfile;
  /** Default: the device's precision when the cloud has it, else the cloud's fastest. */
  cloudPrecision?: Precision;
  uplinkMbps: number;
  radio: RadioKind | RadioPowerModel;
  rttMs: number;
  sloMs?: number;
}

export interface PartitionResult {
  best: PartitionBest;
  /** Every cut, from all-in-cloud (0 device layers) to all-on-device. */
  cuts: PartitionCutReport[];
  cloud: { id: string; precision: Precision };
  radio: RadioPowerModel;
}

function cloudPrecisionFor(cloud: EnergyProfile, wanted: Precision): Precision {
  if (cloud.precisions.includes(wanted)) return wanted;
  const fastest = [...cloud.precisions].sort((a, b) => (cloud.peakTops[b]?.value ?? 0) - (cloud.peakTops[a]?.value ?? 0));
  return fastest[0];
}

/**
 * Evaluates every cut and picks the one with the least device energy that meets the SLO (or,
 * when none does, the fastest).
 *
 * @example
 *   const a = analyzeModel(model, pi4, { precision: 'fp32' });
 *   partitionModel(model, a, { deviceProfile: pi4, uplinkMbps: 20, radio: 'wifi', rttMs: 30 }).best.reason
 */
export function partitionModel(model: Model, analysis: EnergyAnalysis, options: PartitionOptions): PartitionResult {
  if (analysis.units !== 'J') {
    throw new EnergyModelError(`Cannot partition on '${analysis.device.id}': its energies are normalized, not joules.`);
  }
  if (options.deviceProfile.id !== analysis.device.id) {
    throw new EnergyModelError(
      `The analysis is for device '${analysis.device.id}' but deviceProfile is '${options.deviceProfile.id}'.`,
    );
  }
  const radio = typeof options.radio === 'string' ? RADIO_MODELS[options.radio] : options.radio;
  if (!radio) throw new EnergyModelError(`Unknown radio '${String(options.radio)}'; use 'wifi' or 'lte'.`);
  const cloud = options.cloudProfile ?? cloudT4Profile();
  const cloudPrecision = options.cloudPrecision ?? cloudPrecisionFor(cloud, analysis.precision);
  const cloudAnalysis = analyzeModel(model, cloud, { precision: cloudPrecision, batch: analysis.batch });

  const nodes = sortNodes(model.graph);
  const n = nodes.length;
  if (analysis.layers.length !== n || analysis.layers.some((l, i) => l.name !== nodes[i].name)) {
    throw new EnergyModelError(`The analysis of '${analysis.model.name}' does not match the model's nodes; analyse this model first.`);
  }
  const values = inferValues(model, { batch: analysis.batch });
  const bytesPerElement = BYTES_PER_ELEMENT[analysis.precision];
  // Each activation tensor: produced at index p (-1 for graph inputs), last read at index last.
  const produced = new Map<string, number>();
  for (const input of model.graph.inputs) if (!model.graph.initializers.has(input.name)) produced.set(input.name, -1);
  nodes.forEach((node, i) => node.outputs.forEach((o) => o && produced.set(o, i)));
  const lastRead = new Map<string, number>();
  nodes.forEach((node, i) => node.inputs.forEach((t) => t && produced.has(t) && lastRead.set(t, i)));
  const sizeOf = (t: string) => {
    const v = values.get(t);
    // Folded constants (shape arithmetic) are recomputed in the cloud, never sent.
    if (!v || v.value !== undefined) return 0;
    return tensorSize(v.shape) * (isFloatDtype(v.dtype) ? bytesPerElement : 1);
  };

  const idleW = options.deviceProfile.idlePowerW.value;
  const canSend = options.uplinkMbps > 0;
  const cuts: PartitionCutReport[] = [];
  let layersJ = 0;
  let deviceMs = 0;
  let cloudRemainingMs = cloudAnalysis.totals.latencyMs;
  for (let k = -1; k < n; k++) {
    if (k >= 0) {
      layersJ += analysis.layers[k].energyJ;
      deviceMs += analysis.layers[k].latencyMs;
      cloudRemainingMs -= cloudAnalysis.layers[k].latencyMs;
    }
    const offloads = k < n - 1;
    const tensors: string[] = [];
    let bytes = 0;
    if (offloads) {
      for (const [t, p] of produced) {
        if (p <= k && (lastRead.get(t) ?? -Infinity) > k) {
          tensors.push(t);
          bytes += sizeOf(t);
        }
      }
    }
    if (offloads && bytes > 0 && !canSend) continue;
    const tx = transmitCost(bytes, options.uplinkMbps, radio);
    const cloudMs = offloads ? Math.max(0, cloudRemainingMs) : 0;
    const waitS = offloads ? tx.seconds + (options.rttMs + cloudMs) / 1e3 : 0;
    const waitJ = idleW * waitS;
    const latencyMs = deviceMs + (offloads ? tx.seconds * 1e3 + options.rttMs + cloudMs : 0);
    cuts.push({
      cutAfter: k >= 0 ? nodes[k].name : null,
      deviceLayers: k + 1,
      deviceEnergyJ: layersJ + tx.energyJ + waitJ,
      layersJ,
      transmitJ: tx.energyJ,
      waitJ,
      latencyMs,
      deviceMs,
      transmitMs: tx.seconds * 1e3,
      cloudMs,
      transmitBytes: bytes,
      tensors,
      meetsSlo: options.sloMs === undefined || latencyMs <= options.sloMs,
    });
  }
  const feasible = cuts.filter((c) => c.meetsSlo);
  const cheapest = (list: PartitionCutReport[]) => list.reduce((a, b) => (b.deviceEnergyJ < a.deviceEnergyJ ? b : a));
  const best = feasible.length > 0 ? cheapest(feasible) : cuts.reduce((a, b) => (b.latencyMs < a.latencyMs ? b : a));
  const reason = partitionReason({ best, cuts, cheapest: cheapest(cuts), options, radioName: typeof options.radio === 'string' ? options.radio : 'radio', nodes: n });
  return {
    best: { cutAfter: best.cutAfter, deviceEnergyJ: best.deviceEnergyJ, latencyMs: best.latencyMs, transmitBytes: best.transmitBytes, reason },
    cuts,
    cloud: { id: cloud.id, precision: cloudPrecision },
    radio,
  };
}
