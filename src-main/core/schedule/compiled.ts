/**
 * The dense form every solver works on, built once per problem: typed arrays, no strings, no
 * maps. A placement problem and a GAP instance compile to the same shape.
 *
 * A compiled *node* is a machine: an edge node, or a host with the accelerator plugged into it
 * (one node in the solvers, two in the problem file and in results; `optAccel` says which of the
 * two an option runs on). Nodes that cost the same to every workload form a *class*: same
 * device type (and accelerator), and, when workloads have source sites, the same site, since
 * transfers depend on it. Everything a workload costs or consumes depends on the class, not the
 * node, so the arrays are n x K (K = classes) rather than n x m. For a GAP instance every agent
 * is its own class. The options of workload j on class k (one per admissible variant and
 * processor: allowed type, a network path, SLO met with transfers, accuracy floor met) are the
 * index range `optStart[j*K + k] .. optStart[j*K + k + 1]`; an empty range means j cannot run there.
 *
 * Resources (R of them, compute first) are knapsack constraints per node: the weights
 * `optW[o*R + r]` of the workloads on node i must not exceed `cap[i*R + r]`. Links (L of them:
 * LANs and links between sites with a stated capacity) are knapsack constraints shared by
 * nodes: option o puts `optMbps[o]` on each link `optLinks[optLinkStart[o] .. optLinkStart[o+1]]`.
 */

export interface CompiledProblem {
  /** Workloads (GAP jobs). */
  n: number;
  /** Nodes (GAP agents), the cloud last when present. */
  m: number;
  /** Node classes. */
  K: number;
  /** Resources per node: compute, memory, [energy], [accelerator compute, accelerator memory]. */
  R: number;
  nodeClass: Int32Array;
  /** Capacity per node and resource, m x R (compute already scaled by the utilization limit); Infinity where unlimited. */
  cap: Float64Array;
  /** Cost paid once if a node serves anything (idle and wake-up energy of a node that may sleep); 0 for always-on nodes. */
  idleCost: Float64Array;
  /**
   * 1 / full capacity of the (node, resource) pairs whose utilization the balance term watches
   * (the compute of edge nodes and of their accelerators), m x R; 0 elsewhere. A node's
   * utilization is the largest load x utilScale over its resources.
   */
  utilScale: Float64Array;
  optStart: Int32Array;
  optCost: Float64Array;
  optW: Float64Array;
  /** Index into `variantIds` of the model an option runs (0 for GAP). */
  optVariant: Int32Array;
  /** 1 when the option runs on the node's accelerator, 0 on the node (host) itself. */
  optAccel: Uint8Array;
  /** Capacity-limited links (site LANs and links between sites). */
  L: number;
  /** Mb/s each link carries at most. */
  linkCap: Float64Array;
  optLinkStart: Int32Array;
  optLinks: Int32Array;
  /** Mb/s option o puts on each of its links. */
  optMbps: Float64Array;
  /** Weight of the balance term (the largest utilization over the edge nodes). */
  lambda: number;
  /** Reported objective = maximize ? offset - internal : internal + offset (offset: always-on idle energy, or GAP's profit shift). */
  maximize: boolean;
  offset: number;
  resourceNames: string[];
  linkNames: string[];
  workloadIds: string[];
  nodeIds: string[];
  /** Per node, the id of its accelerator in the problem file ('' when it has none). */
  acceleratorIds: string[];
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

/** The problem file's id of the node option o runs on when placed on compiled node i. */
export function servingNodeId(cp: CompiledProblem, i: number, o: number): string {
  return cp.optAccel[o] ? cp.acceleratorIds[i] : cp.nodeIds[i];
}

/** Solver output (node and option per workload) as the checker's and the CLI's maps. */
export function toAssignment(cp: CompiledProblem, node: Int32Array, opt: Int32Array): { assignment: Record<string, string>; variants: Record<string, string> } {
  const assignment: Record<string, string> = {};
  const variants: Record<string, string> = {};
  for (let j = 0; j < cp.n; j++) {
    if (node[j] < 0) continue;
    assignment[cp.workloadIds[j]] = servingNodeId(cp, node[j], opt[j]);
    variants[cp.workloadIds[j]] = cp.variantIds[cp.optVariant[opt[j]]];
  }
  return { assignment, variants };
}

/** The smallest objective fall a move must bring to count as one: a billionth of the mean option cost, so float noise never loops. */
export function improvementTolerance(cp: CompiledProblem): number {
  let scale = 0;
  for (let o = 0; o < cp.optCost.length; o++) scale += Math.abs(cp.optCost[o]);
  return 1e-9 * (1 + scale / Math.max(1, cp.optCost.length));
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

/** The number of nodes that count in the balance term (edge nodes: the cloud does not). */
export function balancedNodes(cp: CompiledProblem): number {
  let count = 0;
  for (let i = 0; i < cp.m; i++) {
    for (let r = 0; r < cp.R; r++) {
      if (cp.utilScale[i * cp.R + r] > 0) {
        count++;
        break;
      }
    }
  }
  return count;
}
