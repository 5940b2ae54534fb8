/**
 * Candidate lists (Dorigo & Stutzle, Ant Colony Optimization, MIT Press 2004, sec. 3.7.1 and
 * 5.2: restrict each decision to a few promising choices): for large fleets a workload only
 * considers `size` nodes in construction and local search, so pheromone is n x size, not n x m.
 *
 * Nodes of one device type cost the same for a workload, so the list is drawn class by class:
 * classes ranked by the workload's cheapest option (plus the node's idle energy shared over
 * the workloads a node typically hosts), the best class getting half the slots, the next a
 * quarter, and so on. Within a class each workload gets its own window of nodes (offset by a
 * hash of the workload index) so that workloads spread over identical nodes.
 */
import type { CompiledProblem } from './compiled';
import { admissibleNodes, cheapestOption, type NodeLists } from './state';

/** Size of a full problem (workloads x nodes) up to which every admissible node is a candidate. */
export const FULL_LIST_LIMIT = 400_000;

export function candidateLists(cp: CompiledProblem, size = 32): NodeLists {
  if (cp.n * cp.m <= FULL_LIST_LIMIT || cp.m <= size) return admissibleNodes(cp);
  const byClass: number[][] = Array.from({ length: cp.K }, () => []);
  for (let i = 0; i < cp.m; i++) byClass[cp.nodeClass[i]].push(i);
  const perNode = Math.max(1, cp.n / cp.m);
  const start = new Int32Array(cp.n + 1);
  const nodes = new Int32Array(cp.n * size);
  const score = new Float64Array(cp.K);
  const taken = new Int32Array(cp.K);
  // The classes where the workload has options, cheapest first (with locality, a few of many).
  const rank = new Int32Array(cp.K);
  let len = 0;
  for (let j = 0; j < cp.n; j++) {
    start[j] = len;
    let ranked = 0;
    for (let k = 0; k < cp.K; k++) {
      const members = byClass[k];
      if (!members.length || cp.optStart[j * cp.K + k] === cp.optStart[j * cp.K + k + 1]) continue;
      score[k] = cp.optCost[cheapestOption(cp, j, members[0])] + cp.idleCost[members[0]] / perNode;
      taken[k] = 0;
      rank[ranked++] = k;
    }
    const order = rank.subarray(0, ranked).sort((x, y) => score[x] - score[y]);
    let remaining = size;
    const offset = Math.imul(j + 1, 0x9e3779b1) >>> 0;
    while (remaining > 0) {
      let progress = false;
      let quota = Math.max(1, Math.ceil(remaining / 2));
      for (let r = 0; r < ranked && remaining > 0; r++) {
        const k = order[r];
        const members = byClass[k];
        const take = Math.min(quota, members.length - taken[k], remaining);
        for (let t = 0; t < take; t++) nodes[len++] = members[(offset + taken[k] + t) % members.length];
        taken[k] += take;
        remaining -= take;
        if (take > 0) progress = true;
        quota = Math.max(1, Math.ceil(quota / 2));
      }
      if (!progress) break;
    }
  }
  start[cp.n] = len;
  return { start, nodes: nodes.slice(0, len) };
}
