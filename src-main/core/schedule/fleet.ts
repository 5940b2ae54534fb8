/**
 * Synthetic fleets and workloads from the device library, seeded: the same options give the
 * same problem byte for byte. From 10 nodes and a handful of cameras to 10,000 nodes and
 * 50,000 workloads (the 10,000 x 1,000 case builds in well under a second).
 *
 * Per device type the generator takes the most energy-efficient precision of its profile and
 * derives (estimates, replaced by the energy model for real projects):
 * - sustained compute = peak MAC/s x SUSTAINED_FRACTION (a batch-1 CNN keeps an edge accelerator
 *   far from its peak; 35% is a Joule assumption),
 * - latency = roofline max(MACs / sustained compute, weight bytes / DRAM bandwidth),
 * - dynamic energy = MACs x energy per MAC + weight bytes x DRAM energy per byte (weights are
 *   read once per batch-1 inference; activations are left out),
 * - memory = weights + RUNTIME_MB for the runtime and activations.
 *
 * Every node may sleep (idle energy counts when it serves), as in the benchmarks since issue 4.
 * With `locality`, each workload comes from a site (eight nodes per site), may be served at its
 * site or a ring neighbour, and pays LAN and link transfers (fleet-network.ts).
 *
 * @example
 * const lib = await DeviceLibrary.load('resources/devices');
 * const problem = generateFleet(lib, { nodes: 20, workloads: 200, seed: 1 });
 */
import type { DeviceProfile, Precision } from '../../common/devices/profile';
import type { DeviceLibrary } from '../energy/device-library';
import { ScheduleError } from './errors';
import { FleetNetwork } from './fleet-network';
import type { PlacementProblem } from '../../common/placement/problem';
import { Rng } from '../../common/random';

export interface FleetOptions {
  nodes: number;
  workloads: number;
  seed: number;
  /** Total compute demand over total edge compute (default 0.6). */
  load?: number;
  periodS?: number;
  /** Add a cloud reached over a shared uplink (default false). */
  cloud?: boolean;
  /** Share of nodes on battery or solar, with an energy budget (default 0.3). */
  batteryShare?: number;
  /** Share of workloads that accept pruned variants above an accuracy floor (default 0.5). */
  variantShare?: number;
  /** Share of workloads restricted to a few device types (default 0.1). */
  restrictedShare?: number;
  /** lambdaJ as a share of the fleet's reference energy (idle of all nodes + cheapest dynamic energy) (default 0.1). */
  lambdaShare?: number;
  /** Device types to use (default: every profile of the library). */
  deviceTypes?: string[];
  /** Workloads come from sites and cross LANs and links between neighbouring sites (default false). */
  locality?: boolean;
  /** Nodes per site with locality (default 8): 5 makes 20 nodes four sites. */
  nodesPerSite?: number;
}

/** Batch-1 utilization of peak compute assumed for every device (Joule assumption). */
export const SUSTAINED_FRACTION = 0.35;
/** Runtime + activation memory per loaded model, MB (Joule assumption). */
export const RUNTIME_MB = 64;
/** Share of RAM left to workloads after the OS (Joule assumption). */
const RAM_FOR_WORKLOADS = 0.75;

/**
 * Reference models (REFERENCES.md, "Published MACs and parameters"; top-1 accuracy from the
 * torchvision model zoo, ImageNet 224x224) and how often a camera runs each.
 */
const baseModels = [
  { id: 'mobilenet-v2', macs: 300e6, params: 3.5e6, accuracy: 0.7188, weight: 4 },
  { id: 'squeezenet-1.1', macs: 351.9e6, params: 1.235e6, accuracy: 0.5818, weight: 2 },
  { id: 'mobilenet-v1', macs: 569e6, params: 4.24e6, accuracy: 0.706, weight: 2 },
  { id: 'googlenet', macs: 1.505e9, params: 6.62e6, accuracy: 0.6978, weight: 1 },
  { id: 'resnet-18', macs: 1.819e9, params: 11.69e6, accuracy: 0.6976, weight: 2 },
  { id: 'resnet-50', macs: 4.112e9, params: 25.56e6, accuracy: 0.7613, weight: 1 },
];
/**
 * Pruned variants: share of MACs and parameters kept, accuracy lost. Estimates in the range
 * Li et al. (ICLR 2017) and DepGraph (CVPR 2023) report for structured pruning.
 */
const pruneLevels = [
  { suffix: '', keep: 1, loss: 0 },
  { suffix: '-p30', keep: 0.7, loss: 0.006 },
  { suffix: '-p50', keep: 0.5, loss: 0.018 },
];
const typeWeights: Record<string, number> = {
  'raspberry-pi-4': 3,
  'jetson-nano-5w': 1.5,
  'jetson-nano-10w': 1.5,
  'coral-dev-board': 1.5,
  'intel-ncs2': 1,
  'jetson-xavier-nx': 0.8,
  'jetson-orin-nano': 0.7,
};
const sloChoicesMs = [50, 100, 200, 500, 1000];
const cameraFps = [1, 2, 5, 10, 15, 30];
const bytesPer: Record<Precision, number> = { fp32: 4, fp16: 2, int8: 1 };

interface DeviceFigures {
  id: string;
  macPerS: number;
  macJ: number;
  dramJPerByte: number;
  bytesPerParam: number;
  bandwidthBps: number;
  ramMB: number;
  idleW: number;
  loadedW: number;
}

function figuresOf(p: DeviceProfile): DeviceFigures {
  let best: Precision | null = null;
  for (const prec of p.precisions) {
    const e = p.energy.macPJ[prec]?.value;
    if (e === undefined || !p.peakTops[prec]) continue;
    if (best === null || e < p.energy.macPJ[best]!.value) best = prec;
  }
  if (best === null) throw new ScheduleError(`Device profile ${p.id} has no precision with both a peak throughput and an energy per MAC.`);
  return {
    id: p.id,
    macPerS: (p.peakTops[best]!.value * 1e12 * SUSTAINED_FRACTION) / 2,
    macJ: p.energy.macPJ[best]!.value * 1e-12,
    dramJPerByte: p.energy.dramPJPerByte.value * 1e-12,
    bytesPerParam: bytesPer[best],
    bandwidthBps: p.memoryBandwidthGBps.value * 1e9,
    ramMB: p.ramMB.value,
    idleW: p.idlePowerW.value,
    loadedW: p.loadedPowerW.value,
  };
}

function pickWeighted(rng: Rng, weights: number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.next() * total;
  for (let k = 0; k < weights.length; k++) if ((x -= weights[k]) < 0) return k;
  return weights.length - 1;
}

export function generateFleet(library: DeviceLibrary, options: FleetOptions): PlacementProblem {
  const { nodes: nodeCount, workloads: workloadCount, seed } = options;
  if (!Number.isInteger(nodeCount) || nodeCount < 1) throw new ScheduleError(`A fleet needs a whole number of nodes of at least 1, got ${nodeCount}.`);
  if (!Number.isInteger(workloadCount) || workloadCount < 1) throw new ScheduleError(`A fleet needs a whole number of workloads of at least 1, got ${workloadCount}.`);
  const rng = new Rng(seed);
  const periodS = options.periodS ?? 3600;
  const load = options.load ?? 0.6;
  const typeIds = (options.deviceTypes ?? library.ids()).slice().sort();
  const devices = typeIds.map((id) => figuresOf(library.get(id)));

  const nodes: PlacementProblem['nodes'] = [];
  const used = new Set<string>();
  const perSite = Math.max(1, Math.floor(options.nodesPerSite ?? 8));
  for (let i = 0; i < nodeCount; i++) {
    // The first nodes cover every type once (when there are enough) so that small fleets stay varied.
    const d = i < devices.length && nodeCount >= 2 * devices.length ? devices[i] : devices[pickWeighted(rng, devices.map((x) => typeWeights[x.id] ?? 1))];
    used.add(d.id);
    const battery = rng.next() < (options.batteryShare ?? 0.3);
    nodes.push({
      id: `n${String(i + 1).padStart(String(nodeCount).length, '0')}`,
      deviceType: d.id,
      site: `site-${Math.floor(i / perSite) + 1}`,
      computeMacPerS: d.macPerS,
      memoryMB: Math.round(d.ramMB * RAM_FOR_WORKLOADS),
      // Battery or solar: idle plus a quarter of the loaded-minus-idle power on average, which binds
      // above about 70% of sustained compute (dynamic power at full sustained load is 35% of it).
      ...(battery ? { energyBudgetJ: Math.round(periodS * (d.idleW + 0.25 * (d.loadedW - d.idleW))) } : {}),
      idlePowerW: d.idleW,
      powerState: 'may-sleep',
      wakeUpJ: 0,
    });
  }
  const present = devices.filter((d) => used.has(d.id));

  const models: PlacementProblem['models'] = [];
  const latencyOf = new Map<string, Map<string, number>>();
  for (const base of baseModels) {
    for (const level of pruneLevels) {
      const id = base.id + level.suffix;
      const macs = base.macs * level.keep;
      const params = base.params * level.keep;
      const perDevice: PlacementProblem['models'][number]['perDevice'] = {};
      const lat = new Map<string, number>();
      for (const d of present) {
        const bytes = params * d.bytesPerParam;
        const latencyMs = Math.max(macs / d.macPerS, bytes / d.bandwidthBps) * 1000;
        const energyJ = macs * d.macJ + bytes * d.dramJPerByte;
        perDevice[d.id] = { energyJ: round(energyJ), latencyMs: round(latencyMs), memoryMB: round(bytes / 1e6 + RUNTIME_MB) };
        lat.set(d.id, latencyMs);
      }
      latencyOf.set(id, lat);
      models.push({ id, macs, memoryMB: round((params * 4) / 1e6 + RUNTIME_MB), accuracy: round(base.accuracy - level.loss), inputMB: 0.1, perDevice });
    }
  }

  // Workloads at camera frame rates, then scaled so that demand / capacity = load: a workload is
  // the stream of one or several cameras of a site. No workload takes more than half of the
  // largest node that meets its SLO.
  const drafts: { base: (typeof baseModels)[number]; fps: number; variants: boolean }[] = [];
  let demand = 0;
  for (let j = 0; j < workloadCount; j++) {
    const base = baseModels[pickWeighted(rng, baseModels.map((b) => b.weight))];
    const fps = cameraFps[rng.int(cameraFps.length)];
    drafts.push({ base, fps, variants: rng.next() < (options.variantShare ?? 0.5) });
    demand += fps * base.macs;
  }
  const capacity = nodes.reduce((sum, n) => sum + n.computeMacPerS, 0);
  const scale = (load * capacity) / demand;
  const workloads: PlacementProblem['workloads'] = [];
  let minDynamic = 0;
  // A witness assignment keeps the problem feasible: each workload (base model) gets a node
  // with room for it, probing a few random nodes of the types that meet its SLO; if none has
  // room its rate shrinks to fit the roomiest probe. Type restrictions always include the
  // witness's type.
  const byType = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    const list = byType.get(node.deviceType);
    if (list) list.push(i);
    else byType.set(node.deviceType, [i]);
  });
  const siteOf = (i: number) => Math.floor(i / perSite);
  const network = options.locality ? new FleetNetwork(siteOf(nodeCount - 1) + 1, (site) => `site-${site + 1}`) : null;
  const bySiteType = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    const key = `${siteOf(i)}|${node.deviceType}`;
    const list = bySiteType.get(key);
    if (list) list.push(i);
    else bySiteType.set(key, [i]);
  });
  const roomMac = nodes.map((node) => node.computeMacPerS);
  const roomMB = nodes.map((node) => node.memoryMB);
  const roomJ = nodes.map((node) => (node.energyBudgetJ === undefined ? Infinity : node.energyBudgetJ - node.idlePowerW * periodS));
  const modelById = new Map(models.map((model) => [model.id, model]));
  drafts.forEach((draft, j) => {
    const model = modelById.get(draft.base.id)!;
    const lat = latencyOf.get(draft.base.id)!;
    const fastest = Math.min(...lat.values());
    let slo = sloChoicesMs[rng.int(sloChoicesMs.length)];
    if (slo < fastest * 1.2) slo = Math.ceil(fastest * 1.5);
    const meeting = present.filter((d) => lat.get(d.id)! <= slo).map((d) => d.id);
    let rate = Math.max(0.01, round(draft.fps * scale));
    let witness = -1;
    let roomiest = -1;
    let roomiestRate = 0;
    // With locality the workload comes from a node's site or a neighbour of it, and probes the sites it reaches.
    let source = -1;
    if (network) {
      const anchorList = byType.get(meeting[rng.int(meeting.length)])!;
      const anchor = siteOf(anchorList[rng.int(anchorList.length)]);
      const around = network.reachable(anchor);
      source = around[rng.int(around.length)];
    }
    for (let probe = 0; probe < (network ? 48 : 24) && witness < 0; probe++) {
      const type = meeting[rng.int(meeting.length)];
      let list = byType.get(type)!;
      if (network) {
        const sites = network.reachable(source);
        const local = bySiteType.get(`${sites[rng.int(sites.length)]}|${type}`);
        if (!local) continue;
        list = local;
      }
      const i = list[rng.int(list.length)];
      const f = model.perDevice[nodes[i].deviceType];
      if (roomMB[i] < f.memoryMB!) continue;
      const fit = Math.min(roomMac[i] / model.macs, roomJ[i] / (periodS * f.energyJ));
      if (fit >= rate) witness = i;
      else if (fit > roomiestRate) {
        roomiest = i;
        roomiestRate = fit;
      }
    }
    if (witness < 0 && roomiest >= 0) {
      witness = roomiest;
      rate = Math.max(0.001, Math.floor(roomiestRate * 0.9 * 1000) / 1000);
    }
    if (witness < 0) throw new ScheduleError(`The fleet is too small for ${workloadCount} workloads: workload ${j + 1} finds no node with memory left; add nodes or lower the load.`);
    const wf = model.perDevice[nodes[witness].deviceType];
    if (network) {
      const latency = wf.latencyMs + network.transferMs(source, siteOf(witness), model.inputMB);
      if (latency > slo) slo = Math.ceil(latency * 1.2);
      network.carry(source, siteOf(witness), rate * model.inputMB * 8);
    }
    roomMac[witness] -= rate * model.macs;
    roomMB[witness] -= wf.memoryMB!;
    roomJ[witness] -= rate * periodS * wf.energyJ;
    let allowed: string[] | undefined;
    if (rng.next() < (options.restrictedShare ?? 0.1) && meeting.length > 1) {
      const others = meeting.filter((t) => t !== nodes[witness].deviceType);
      allowed = [nodes[witness].deviceType, ...rng.shuffle(others.map((_, k) => k)).slice(0, rng.int(Math.min(3, others.length))).map((k) => others[k])].sort();
    }
    const id = `w${String(j + 1).padStart(String(workloadCount).length, '0')}`;
    const floor = round(draft.base.accuracy - 0.005 - 0.02 * rng.next());
    workloads.push({
      id,
      ...(draft.variants ? { variants: pruneLevels.map((l) => draft.base.id + l.suffix), accuracyFloor: floor } : { model: draft.base.id }),
      ratePerS: rate,
      sloMs: slo,
      ...(allowed ? { allowedDeviceTypes: allowed } : {}),
      allowCloud: true,
      ...(network ? { site: `site-${source + 1}` } : {}),
    });
    minDynamic += rate * periodS * Math.min(...Object.values(model.perDevice).map((f) => f.energyJ));
  });
  const idleAll = nodes.reduce((sum, n) => sum + n.idlePowerW * periodS, 0);
  const problem: PlacementProblem = {
    schemaVersion: 2,
    name: `Generated fleet: ${nodeCount} nodes, ${workloadCount} workloads, seed ${seed}${network ? ', with locality' : ''}`,
    periodS,
    lambdaJ: round((options.lambdaShare ?? 0.1) * (idleAll + minDynamic)),
    utilizationLimit: 1,
    sites: network ? network.sites() : [],
    links: network ? network.links() : [],
    nodes,
    models,
    workloads,
  };
  if (options.cloud) {
    // Wi-Fi uplink power (Huang et al., MobiSys 2012): P = 283.17 mW/Mbps x rate + 132.86 mW;
    // at 20 Mb/s one MB takes 0.4 s: (5.663 + 0.133) W x 0.4 s = 2.32 J.
    problem.cloud = { id: 'cloud', site: 'cloud', uplinkMbps: Math.max(20, Math.round(nodeCount * 2)), rttMs: 40, transmitJPerMB: 2.32, serverLatencyMs: 5 };
  }
  return problem;
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
