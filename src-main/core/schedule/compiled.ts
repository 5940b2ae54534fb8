/**
 * The dense form every solver works on, built once per problem: typed arrays, no strings, no
 * maps. A placement problem and a GAP instance compile to the same shape.
 *
 * Nodes that share a device type form a *class*; everything a workload costs or consumes
 * depends on the class, not the node, so the arrays are n x K (K = classes) rather than n x m.
 * For a GAP instance every agent is its own class. The options of workload j on class k (one
 * per admissible variant: allowed type, SLO met, accuracy floor met) are the index range
 * `optStart[j*K + k] .. optStart[j*K + k + 1]`; an empty range means j cannot run there.
 *
 * Resources (R of them, compute first) are knapsack constraints: the weights `optW[o*R + r]`
 * of the workloads on node i must not exceed `cap[i*R + r]`.
 */

export interface CompiledProblem {
  /** Workloads (GAP jobs). */
  n: number;
  /** Nodes (GAP agents), the cloud last when present. */
  m: number;
  /** Node classes. */
  K: number;
  /** Resources per node; resource 0 is compute (utilization and imbalance are measured on it). */
  R: number;
  nodeClass: Int32Array;
  /** Capacity per node and resource, m x R; Infinity where unlimited. */
  cap: Float64Array;
  /** Cost paid once if a node hosts anything (idle energy over the period). */
  idleCost: Float64Array;
  /** 1 for nodes counted in the imbalance term (edge nodes; not the cloud). */
  balanceNode: Uint8Array;
  balanceCount: number;
  optStart: Int32Array;
  optCost: Float64Array;
  optW: Float64Array;
  /** Index into `variantIds` of the model an option runs (0 for GAP). */
  optVariant: Int32Array;
  /** Weight of the imbalance term. */
  lambda: number;
  /** Reported objective = maximize ? offset - internal : internal + offset. */
  maximize: boolean;
  offset: number;
  resourceNames: string[];
  workloadIds: string[];
  nodeIds: string[];
  variantIds: string[];
}

/** The objective as the problem states it (profit for maximising GAP files) from the internal cost. */
export function reportObjective(cp: CompiledProblem, internal: number): number {
  return cp.maximize ? cp.offset - internal : internal + cp.offset;
}

/** The internal (minimised) cost of a reported objective. */
export function internalObjective(cp: CompiledProblem, reported: number): number {
  return cp.maximize ? cp.offset - reported : reported - cp.offset;
}

/** Solver output (node and option per workload) as the checker's and the CLI's maps. */
export function toAssignment(cp: CompiledProblem, node: Int32Array, opt: Int32Array): { assignment: Record<string, string>; variants: Record<string, string> } {
  const assignment: Record<string, string> = {};
  const variants: Record<string, string> = {};
  for (let j = 0; j < cp.n; j++) {
    if (node[j] < 0) continue;
    assignment[cp.workloadIds[j]] = cp.nodeIds[node[j]];
    variants[cp.workloadIds[j]] = cp.variantIds[cp.optVariant[opt[j]]];
  }
  return { assignment, variants };
}

/**
 * Sums that size the penalty weights of the local searches: the spread between each workload's
 * dearest and cheapest option, the dearest options' magnitudes, and the nodes' idle costs.
 */
export function costScales(cp: CompiledProblem): { spread: number; scale: number; idle: number } {
  let spread = 0;
  let scale = 0;
  for (let j = 0; j < cp.n; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let o = cp.optStart[j * cp.K]; o < cp.optStart[(j + 1) * cp.K]; o++) {
      lo = Math.min(lo, cp.optCost[o]);
      hi = Math.max(hi, cp.optCost[o]);
    }
    spread += hi - lo;
    scale += Math.abs(hi);
  }
  let idle = 0;
  for (let i = 0; i < cp.m; i++) idle += cp.idleCost[i];
  return { spread, scale, idle };
}
