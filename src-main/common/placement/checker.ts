/**
 * The referee: feasibility and objective of a placement, computed straight from the problem
 * file with none of the solvers' compiled arrays, so a solver bug cannot hide behind a shared
 * helper. Every test and the bench judge solver output with this.
 *
 * Objective (docs/placement.md): energy over the period + lambdaJ x the busiest edge node's
 * compute utilization. Energy = inference energy on the nodes + the hosts' work for their
 * accelerators + idle energy (always-on nodes always, nodes that may sleep when they serve, with
 * their wake-up energy) + transfer energy over LANs and links + the cloud's radio energy.
 *
 * @example
 * const report = checkPlacement(problem, { cam1: 'nano-1', cam2: 'cloud' });
 * report.feasible; // false when any violation is listed
 */
import { formatSI } from '../units';
import { describeHops, type Hop, NetworkMap } from './checker-network';
import { powerStateOf } from './power';
import { variantsOf, type PlacementNode, type PlacementProblem } from './problem';
import type { Assignment, EnergyBreakdown, NodeReport, PlacementReport, VariantChoice, Violation } from './report';

export type { Assignment, ConstraintKind, EnergyBreakdown, HopReport, NodeReport, PlacementReport, VariantChoice, Violation } from './report';


const TOL = 1e-9;
const exceeds = (used: number, cap: number) => used > cap * (1 + TOL) + TOL;
const fmt = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : String(Math.round(x * 1000) / 1000));
/** A quantity for the sentence: large ones with an SI prefix (`8.947 GMAC/s`, `304 kJ`), small ones as they are. */
const quantity = (x: number, unit: 'MAC/s' | 'J') => (Math.abs(x) >= 1e4 ? formatSI(x, unit, 'en-US', 4) : `${fmt(x)} ${unit}`);

interface NodeStats {
  compute: number;
  memory: number;
  inferenceJ: number;
  hostJ: number;
  workloads: string[];
}

export function checkPlacement(problem: PlacementProblem, assignment: Assignment, variants: VariantChoice = {}): PlacementReport {
  const violations: Violation[] = [];
  const nodeById = new Map<string, PlacementNode>(problem.nodes.map((n) => [n.id, n]));
  const modelById = new Map(problem.models.map((m) => [m.id, m]));
  const workloadIds = new Set(problem.workloads.map((w) => w.id));
  const network = new NetworkMap(problem);
  const cloud = problem.cloud;
  const stats = new Map<string, NodeStats>();
  for (const n of problem.nodes) stats.set(n.id, { compute: 0, memory: 0, inferenceJ: 0, hostJ: 0, workloads: [] });
  let cloudMbps = 0;
  let cloudJ = 0;
  let transferJ = 0;
  const cloudWorkloads: string[] = [];

  for (const wid of Object.keys(assignment)) {
    if (!workloadIds.has(wid)) violations.push({ workloadId: wid, constraint: 'unknownWorkload', message: `The placement names workload "${wid}", which is not in the problem.` });
  }
  for (const w of problem.workloads) {
    const nodeId = assignment[w.id];
    if (nodeId === undefined) {
      violations.push({ workloadId: w.id, constraint: 'unassigned', message: `Workload "${w.id}" is not placed on any node.` });
      continue;
    }
    const allowed = variantsOf(w);
    const modelId = variants[w.id] ?? allowed[0];
    const model = modelById.get(modelId);
    if (!allowed.includes(modelId) || !model) {
      violations.push({ workloadId: w.id, constraint: 'unknownVariant', message: `Workload "${w.id}" runs model "${modelId}", which is not one of its variants (${allowed.join(', ')}).` });
      continue;
    }
    if (w.accuracyFloor !== undefined && !(model.accuracy !== undefined && model.accuracy >= w.accuracyFloor - TOL)) {
      violations.push({
        workloadId: w.id,
        constraint: 'accuracy',
        message: `Workload "${w.id}" needs accuracy ${w.accuracyFloor} but model "${model.id}" has ${model.accuracy ?? 'no stated accuracy'}.`,
        ...(model.accuracy === undefined ? {} : { figures: { value: model.accuracy, limit: w.accuracyFloor } }),
      });
    }
    const periodInferences = w.ratePerS * problem.periodS;
    if (cloud && nodeId === cloud.id) {
      if (!w.allowCloud) violations.push({ workloadId: w.id, nodeId, constraint: 'cloudNotAllowed', message: `Workload "${w.id}" must stay at the edge but is placed in the cloud.` });
      const latency = cloud.rttMs + ((model.inputMB * 8) / cloud.uplinkMbps) * 1000 + cloud.serverLatencyMs;
      if (latency > w.sloMs * (1 + TOL)) {
        violations.push({
          workloadId: w.id,
          nodeId,
          constraint: 'slo',
          message: `Workload "${w.id}" takes ${fmt(latency)} ms through the cloud link, over its ${w.sloMs} ms SLO.`,
          figures: { value: latency, limit: w.sloMs, transferMs: latency },
        });
      }
      cloudMbps += w.ratePerS * model.inputMB * 8;
      cloudJ += periodInferences * model.inputMB * cloud.transmitJPerMB;
      cloudWorkloads.push(w.id);
      continue;
    }
    const node = nodeById.get(nodeId);
    if (!node) {
      violations.push({ workloadId: w.id, nodeId, constraint: 'unknownNode', message: `Workload "${w.id}" is placed on node "${nodeId}", which is not in the problem.` });
      continue;
    }
    if (w.allowedDeviceTypes && !w.allowedDeviceTypes.includes(node.deviceType)) {
      violations.push({
        workloadId: w.id,
        nodeId,
        constraint: 'allowedType',
        message: `Workload "${w.id}" may run on ${w.allowedDeviceTypes.join(', ')} but node "${nodeId}" is a ${node.deviceType}.`,
      });
    }
    const figures = model.perDevice[node.deviceType];
    if (!figures) {
      violations.push({ workloadId: w.id, nodeId, constraint: 'unsupported', message: `Model "${model.id}" has no figures for device type ${node.deviceType} (node "${nodeId}").` });
      continue;
    }
    const hops: Hop[] | null = w.site === undefined ? [] : network.path(w.site, node.site);
    if (hops === null) {
      violations.push({
        workloadId: w.id,
        nodeId,
        constraint: 'noPath',
        message: `Workload "${w.id}" comes from site "${w.site}" but node "${nodeId}" is at site "${node.site}", and no link joins the two sites.`,
      });
    }
    let transferMs = 0;
    for (const hop of hops ?? []) {
      transferMs += hop.rttMs + (hop.mbps === undefined ? 0 : ((model.inputMB * 8) / hop.mbps) * 1000);
      const J = periodInferences * model.inputMB * hop.jPerMB;
      network.carry(hop, w.ratePerS * model.inputMB * 8, J, w.id);
      transferJ += J;
    }
    const hostMs = node.host?.cpuMsPerInference ?? 0;
    const latency = figures.latencyMs + hostMs + transferMs;
    if (latency > w.sloMs * (1 + TOL)) {
      const parts = [`${fmt(figures.latencyMs)} ms of inference`, ...(hostMs > 0 ? [`${fmt(hostMs)} ms on the host`] : []), ...(hops?.length ? [`${fmt(transferMs)} ms over ${describeHops(hops)}`] : [])];
      violations.push({
        workloadId: w.id,
        nodeId,
        constraint: 'slo',
        message: `Workload "${w.id}" takes ${fmt(latency)} ms on node "${nodeId}" (${parts.join(', ')}), over its ${w.sloMs} ms SLO.`,
        figures: { value: latency, limit: w.sloMs, inferenceMs: figures.latencyMs, hostMs, transferMs },
      });
    }
    const s = stats.get(nodeId)!;
    s.compute += w.ratePerS * (figures.macs ?? model.macs);
    s.memory += figures.memoryMB ?? model.memoryMB;
    s.inferenceJ += periodInferences * figures.energyJ;
    s.workloads.push(w.id);
    const host = node.host ? stats.get(node.host.nodeId) : undefined;
    const hostNode = node.host ? nodeById.get(node.host.nodeId) : undefined;
    if (host && hostNode && node.host) {
      host.compute += w.ratePerS * (node.host.cpuMsPerInference / 1000) * hostNode.computeMacPerS;
      host.hostJ += periodInferences * (node.host.cpuMsPerInference / 1000) * node.host.cpuPowerW;
    }
  }

  const energy: EnergyBreakdown = { inferenceJ: 0, hostJ: 0, idleJ: 0, alwaysOnIdleJ: 0, wakeUpJ: 0, transferJ, cloudJ };
  // A host and its accelerator are one machine: on together, on the host's power state and budget.
  const rootOf = (n: PlacementNode) => (n.host ? (nodeById.get(n.host.nodeId) ?? n) : n);
  const serving = new Set<string>();
  for (const n of problem.nodes) if (stats.get(n.id)!.workloads.length > 0) serving.add(rootOf(n).id);
  const machineJ = new Map<string, number>();
  let peak = 0;
  const nodes: NodeReport[] = [];
  for (const n of problem.nodes) {
    const s = stats.get(n.id)!;
    const root = rootOf(n);
    const alwaysOn = powerStateOf(root) === 'always-on';
    const powered = alwaysOn || serving.has(root.id);
    const idleJ = powered ? n.idlePowerW * problem.periodS : 0;
    const wakeJ = !alwaysOn && powered && root === n ? n.wakeUpJ : 0;
    const nodeJ = s.inferenceJ + s.hostJ + idleJ + wakeJ;
    energy.inferenceJ += s.inferenceJ;
    energy.hostJ += s.hostJ;
    energy.idleJ += idleJ;
    if (alwaysOn) energy.alwaysOnIdleJ += idleJ;
    energy.wakeUpJ += wakeJ;
    machineJ.set(root.id, (machineJ.get(root.id) ?? 0) + nodeJ);
    const u = s.compute / n.computeMacPerS;
    peak = Math.max(peak, u);
    nodes.push({ nodeId: n.id, workloadIds: s.workloads, utilization: u, memoryMB: s.memory, energyJ: nodeJ, powered });
    if (exceeds(s.compute, n.computeMacPerS)) {
      violations.push({
        nodeId: n.id,
        constraint: 'compute',
        message: `Node "${n.id}" needs ${quantity(s.compute, 'MAC/s')} but has ${quantity(n.computeMacPerS, 'MAC/s')}.`,
        figures: { value: s.compute, limit: n.computeMacPerS },
      });
    } else if (exceeds(s.compute, problem.utilizationLimit * n.computeMacPerS)) {
      violations.push({
        nodeId: n.id,
        constraint: 'headroom',
        message: `Node "${n.id}" would be ${fmt(u * 100)}% busy, above the utilization limit of ${fmt(problem.utilizationLimit * 100)}%.`,
        figures: { value: u, limit: problem.utilizationLimit },
      });
    }
    if (exceeds(s.memory, n.memoryMB)) {
      violations.push({ nodeId: n.id, constraint: 'memory', message: `Node "${n.id}" needs ${fmt(s.memory)} MB of memory but has ${fmt(n.memoryMB)} MB.`, figures: { value: s.memory, limit: n.memoryMB } });
    }
  }
  for (const n of problem.nodes) {
    if (n.host || n.energyBudgetJ === undefined) continue;
    const spent = machineJ.get(n.id) ?? 0;
    if (exceeds(spent, n.energyBudgetJ)) {
      const accelerator = problem.nodes.find((a) => a.host?.nodeId === n.id);
      const who = accelerator ? `Node "${n.id}" and its accelerator "${accelerator.id}" spend` : `Node "${n.id}" spends`;
      violations.push({
        nodeId: n.id,
        constraint: 'energyBudget',
        message: `${who} ${quantity(spent, 'J')} per period but the budget is ${quantity(n.energyBudgetJ, 'J')}.`,
        figures: { value: spent, limit: n.energyBudgetJ },
      });
    }
  }
  violations.push(...network.overloads(fmt));
  const energyJ = energy.inferenceJ + energy.hostJ + energy.idleJ + energy.wakeUpJ + transferJ + cloudJ;
  if (cloud) {
    if (exceeds(cloudMbps, cloud.uplinkMbps)) {
      violations.push({
        nodeId: cloud.id,
        constraint: 'link',
        message: `The cloud link carries ${fmt(cloudMbps)} Mb/s but has ${fmt(cloud.uplinkMbps)} Mb/s.`,
        figures: { value: cloudMbps, limit: cloud.uplinkMbps },
      });
    }
    nodes.push({ nodeId: cloud.id, workloadIds: cloudWorkloads, utilization: cloudMbps / cloud.uplinkMbps, memoryMB: 0, energyJ: cloudJ, powered: cloudWorkloads.length > 0 });
  }
  return {
    feasible: violations.length === 0,
    objective: energyJ + problem.lambdaJ * peak,
    energyJ,
    energy,
    imbalance: peak,
    maxUtilization: peak,
    violations,
    nodes,
    hops: network.reports(),
  };
}
