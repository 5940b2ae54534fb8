/**
 * Symmetry of fleets: nodes of one device type with the same capacities are interchangeable,
 * and so are workloads with the same options. Searches use these groups to skip moves that only
 * relabel (a lone workload to an identical empty node, two identical workloads swapping), which
 * otherwise fill every step of a tabu search on a plateau.
 */
import type { CompiledProblem } from './compiled';

/** Groups of interchangeable nodes: same class, capacities, idle cost and utilization scale. */
export function nodeGroups(cp: CompiledProblem): Int32Array {
  const group = new Int32Array(cp.m);
  const seen = new Map<string, number>();
  for (let i = 0; i < cp.m; i++) {
    const key = [cp.nodeClass[i], cp.idleCost[i], ...cp.utilScale.subarray(i * cp.R, (i + 1) * cp.R), ...cp.cap.subarray(i * cp.R, (i + 1) * cp.R)].join(',');
    if (!seen.has(key)) seen.set(key, seen.size);
    group[i] = seen.get(key)!;
  }
  return group;
}

/** Groups of identical workloads: the same options (class, cost, weights, links and their load) on every class. */
export function workloadGroups(cp: CompiledProblem): Int32Array {
  const group = new Int32Array(cp.n);
  const seen = new Map<string, number>();
  for (let j = 0; j < cp.n; j++) {
    const parts: number[] = [];
    for (let k = 0; k < cp.K; k++) {
      parts.push(-1 - k);
      for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
        parts.push(cp.optCost[o], cp.optAccel[o], ...cp.optW.subarray(o * cp.R, (o + 1) * cp.R), cp.optMbps[o], ...cp.optLinks.subarray(cp.optLinkStart[o], cp.optLinkStart[o + 1]), -1);
      }
    }
    const key = parts.join(',');
    if (!seen.has(key)) seen.set(key, seen.size);
    group[j] = seen.get(key)!;
  }
  return group;
}
