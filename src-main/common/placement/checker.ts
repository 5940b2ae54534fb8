/**
 * The referee: feasibility and objective of a placement, computed straight from the problem
 * file with none of the solvers' compiled arrays, so a solver bug cannot hide behind a shared
 * helper. Every test and the bench judge solver output with this.
 *
 * Objective (docs/placement.md): energy over the period (dynamic inference energy of every
 * workload + idle energy of every edge node that hosts at least one workload) + lambdaJ x
 * imbalance, where imbalance is the mean absolute deviation of compute utilization over the
 * edge nodes (idle nodes count with utilization 0).
 *
 * @example
 * const report = checkPlacement(problem, { cam1: 'nano-1', cam2: 'cloud' });
 * report.feasible; // false when any violation is listed
 */
import { variantsOf, type PlacementNode, type PlacementProblem } from './problem';

export type ConstraintKind =
  | 'unassigned'
  | 'unknownWorkload'
  | 'unknownNode'
  | 'unknownVariant'
  | 'allowedType'
  | 'cloudNotAllowed'
  | 'unsupported'
  | 'accuracy'
  | 'slo'
  | 'compute'
  | 'memory'
  | 'energyBudget'
  | 'link';

export interface Violation {
  workloadId?: string;
  nodeId?: string;
  constraint: ConstraintKind;
  /** A full sentence quoting the values at fault. */
  message: string;
}

export interface NodeReport {
  nodeId: string;
  workloadIds: string[];
  /** Compute (edge) or link bandwidth (cloud) in use over capacity; above 1 is overloaded. */
  utilization: number;
  memoryMB: number;
  /** Dynamic + idle energy over the period (0 for an unused node). */
  energyJ: number;
}

export interface PlacementReport {
  feasible: boolean;
  objective: number;
  energyJ: number;
  imbalance: number;
  /** Largest compute utilization over the edge nodes. */
  maxUtilization: number;
  violations: Violation[];
  nodes: NodeReport[];
}

/** Workload id -> node id (the cloud's id for offloaded work). */
export type Assignment = Record<string, string>;
/** Workload id -> chosen model id, for workloads with variants; default: the first variant. */
export type VariantChoice = Record<string, string>;

const TOL = 1e-9;
const exceeds = (used: number, cap: number) => used > cap * (1 + TOL) + TOL;
const fmt = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : String(Math.round(x * 1000) / 1000));

export function checkPlacement(problem: PlacementProblem, assignment: Assignment, variants: VariantChoice = {}): PlacementReport {
  const violations: Violation[] = [];
  const nodeById = new Map<string, PlacementNode>(problem.nodes.map((n) => [n.id, n]));
  const modelById = new Map(problem.models.map((m) => [m.id, m]));
  const workloadIds = new Set(problem.workloads.map((w) => w.id));
  const cloud = problem.cloud;
  const stats = new Map<string, { compute: number; memory: number; dynamicJ: number; workloads: string[] }>();
  for (const n of problem.nodes) stats.set(n.id, { compute: 0, memory: 0, dynamicJ: 0, workloads: [] });
  let cloudMbps = 0;
  let cloudJ = 0;
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
      });
    }
    const periodInferences = w.ratePerS * problem.periodS;
    if (cloud && nodeId === cloud.id) {
      if (!w.allowCloud) violations.push({ workloadId: w.id, nodeId, constraint: 'cloudNotAllowed', message: `Workload "${w.id}" must stay at the edge but is placed in the cloud.` });
      const latency = cloud.rttMs + ((model.inputMB * 8) / cloud.uplinkMbps) * 1000 + cloud.serverLatencyMs;
      if (latency > w.sloMs * (1 + TOL)) {
        violations.push({ workloadId: w.id, nodeId, constraint: 'slo', message: `Workload "${w.id}" takes ${fmt(latency)} ms through the cloud link, over its ${w.sloMs} ms SLO.` });
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
    if (figures.latencyMs > w.sloMs * (1 + TOL)) {
      violations.push({ workloadId: w.id, nodeId, constraint: 'slo', message: `Workload "${w.id}" takes ${fmt(figures.latencyMs)} ms on node "${nodeId}", over its ${w.sloMs} ms SLO.` });
    }
    const s = stats.get(nodeId)!;
    s.compute += w.ratePerS * (figures.macs ?? model.macs);
    s.memory += figures.memoryMB ?? model.memoryMB;
    s.dynamicJ += periodInferences * figures.energyJ;
    s.workloads.push(w.id);
  }

  let energyJ = cloudJ;
  let utilSum = 0;
  let maxUtilization = 0;
  const utils: number[] = [];
  const nodes: NodeReport[] = [];
  for (const n of problem.nodes) {
    const s = stats.get(n.id)!;
    const used = s.workloads.length > 0;
    const nodeJ = used ? s.dynamicJ + n.idlePowerW * problem.periodS : 0;
    energyJ += nodeJ;
    const u = s.compute / n.computeMacPerS;
    utils.push(u);
    utilSum += u;
    maxUtilization = Math.max(maxUtilization, u);
    nodes.push({ nodeId: n.id, workloadIds: s.workloads, utilization: u, memoryMB: s.memory, energyJ: nodeJ });
    if (exceeds(s.compute, n.computeMacPerS)) {
      violations.push({ nodeId: n.id, constraint: 'compute', message: `Node "${n.id}" needs ${fmt(s.compute)} MAC/s but has ${fmt(n.computeMacPerS)} MAC/s.` });
    }
    if (exceeds(s.memory, n.memoryMB)) {
      violations.push({ nodeId: n.id, constraint: 'memory', message: `Node "${n.id}" needs ${fmt(s.memory)} MB of memory but has ${fmt(n.memoryMB)} MB.` });
    }
    if (used && n.energyBudgetJ !== undefined && exceeds(nodeJ, n.energyBudgetJ)) {
      violations.push({ nodeId: n.id, constraint: 'energyBudget', message: `Node "${n.id}" spends ${fmt(nodeJ)} J per period but its budget is ${fmt(n.energyBudgetJ)} J.` });
    }
  }
  if (cloud) {
    if (exceeds(cloudMbps, cloud.uplinkMbps)) {
      violations.push({ nodeId: cloud.id, constraint: 'link', message: `The cloud link carries ${fmt(cloudMbps)} Mb/s but has ${fmt(cloud.uplinkMbps)} Mb/s.` });
    }
    nodes.push({ nodeId: cloud.id, workloadIds: cloudWorkloads, utilization: cloudMbps / cloud.uplinkMbps, memoryMB: 0, energyJ: cloudJ });
  }
  const mean = utilSum / utils.length;
  let dev = 0;
  for (const u of utils) dev += Math.abs(u - mean);
  const imbalance = dev / utils.length;
  return {
    feasible: violations.length === 0,
    objective: energyJ + problem.lambdaJ * imbalance,
    energyJ,
    imbalance,
    maxUtilization,
    violations,
    nodes,
  };
}
