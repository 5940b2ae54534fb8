/**
 * Compiles a placement problem file into the dense form the solvers share (compiled.ts):
 * nodes grouped into classes by device type, the options of each workload on each class (one
 * per admissible variant), resources compute, memory and (when any node has a budget) energy.
 *
 * @example
 * const cp = compileProblem(parseProblem(json)); // throws when a workload fits nowhere
 */
import type { CompiledProblem } from './compiled';
import { ScheduleError } from './errors';
import { CLOUD_DEVICE_TYPE, variantsOf, type PlacementProblem } from '../../common/placement/problem';

/** Compiles a validated problem; throws a ScheduleError naming each workload that fits nowhere. */
export function compileProblem(p: PlacementProblem): CompiledProblem {
  const edge = p.nodes;
  const m = edge.length + (p.cloud ? 1 : 0);
  const typeIndex = new Map<string, number>();
  const nodeClass = new Int32Array(m);
  edge.forEach((node, i) => {
    if (!typeIndex.has(node.deviceType)) typeIndex.set(node.deviceType, typeIndex.size);
    nodeClass[i] = typeIndex.get(node.deviceType)!;
  });
  const classTypes = [...typeIndex.keys()];
  const cloudClass = p.cloud ? classTypes.length : -1;
  if (p.cloud) {
    nodeClass[m - 1] = cloudClass;
    classTypes.push(CLOUD_DEVICE_TYPE);
  }
  const K = classTypes.length;
  const withBudget = edge.some((node) => node.energyBudgetJ !== undefined);
  const resourceNames = withBudget ? ['compute', 'memory', 'energy'] : ['compute', 'memory'];
  const R = resourceNames.length;

  const cap = new Float64Array(m * R).fill(Infinity);
  const idleCost = new Float64Array(m);
  const balanceNode = new Uint8Array(m);
  edge.forEach((node, i) => {
    idleCost[i] = node.idlePowerW * p.periodS;
    cap[i * R] = node.computeMacPerS;
    cap[i * R + 1] = node.memoryMB;
    if (withBudget && node.energyBudgetJ !== undefined) cap[i * R + 2] = node.energyBudgetJ - idleCost[i];
    balanceNode[i] = 1;
  });
  if (p.cloud) cap[(m - 1) * R] = p.cloud.uplinkMbps;

  const variantIds = p.models.map((model) => model.id);
  const modelIndex = new Map(variantIds.map((id, k) => [id, k]));
  const n = p.workloads.length;
  const optStart = new Int32Array(n * K + 1);
  const cost: number[] = [];
  const weights: number[] = [];
  const variant: number[] = [];
  const unplaceable: string[] = [];
  p.workloads.forEach((w, j) => {
    const inferences = w.ratePerS * p.periodS;
    const models = variantsOf(w).map((id) => p.models[modelIndex.get(id)!]);
    const admissible = models.filter((model) => w.accuracyFloor === undefined || (model.accuracy !== undefined && model.accuracy >= w.accuracyFloor));
    for (let k = 0; k < K; k++) {
      optStart[j * K + k] = cost.length;
      const type = classTypes[k];
      if (k === cloudClass) {
        if (!w.allowCloud || !p.cloud) continue;
        for (const model of admissible) {
          const latency = p.cloud.rttMs + ((model.inputMB * 8) / p.cloud.uplinkMbps) * 1000 + p.cloud.serverLatencyMs;
          if (latency > w.sloMs) continue;
          cost.push(inferences * model.inputMB * p.cloud.transmitJPerMB);
          weights.push(w.ratePerS * model.inputMB * 8, 0);
          if (R === 3) weights.push(0);
          variant.push(modelIndex.get(model.id)!);
        }
        continue;
      }
      if (w.allowedDeviceTypes && !w.allowedDeviceTypes.includes(type)) continue;
      for (const model of admissible) {
        const f = model.perDevice[type];
        if (!f || f.latencyMs > w.sloMs) continue;
        const dynamicJ = inferences * f.energyJ;
        cost.push(dynamicJ);
        weights.push(w.ratePerS * (f.macs ?? model.macs), f.memoryMB ?? model.memoryMB);
        if (R === 3) weights.push(dynamicJ);
        variant.push(modelIndex.get(model.id)!);
      }
    }
    if (optStart[j * K] === cost.length) unplaceable.push(w.id);
  });
  optStart[n * K] = cost.length;
  if (unplaceable.length) {
    const shown = unplaceable.slice(0, 10).map((id) => `"${id}"`).join(', ');
    throw new ScheduleError(
      `No node can run workload${unplaceable.length > 1 ? 's' : ''} ${shown}${unplaceable.length > 10 ? ` and ${unplaceable.length - 10} more` : ''}: ` +
        'no allowed device type has figures for an admissible variant within the latency SLO.',
    );
  }
  return {
    n,
    m,
    K,
    R,
    nodeClass,
    cap,
    idleCost,
    balanceNode,
    balanceCount: edge.length,
    optStart,
    optCost: Float64Array.from(cost),
    optW: Float64Array.from(weights),
    optVariant: Int32Array.from(variant),
    lambda: p.lambdaJ,
    maximize: false,
    offset: 0,
    resourceNames,
    workloadIds: p.workloads.map((w) => w.id),
    nodeIds: [...edge.map((node) => node.id), ...(p.cloud ? [p.cloud.id] : [])],
    variantIds,
  };
}

