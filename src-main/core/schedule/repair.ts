/**
 * Shared placement steps for constructive solvers: the fallback when nothing fits and a
 * feasibility repair that empties overloaded nodes into nodes with room.
 */
import type { Rng } from '../../common/random';
import { cheapestFittingOption, type NodeLists, type PlacementState } from './state';

/**
 * The (node, option) of workload j that leaves the least relative excess (ties: cheapest);
 * written to `out` as [node, option]. Used when no admissible node has room; `lists` null
 * means every node.
 */
export function leastExcessChoice(s: PlacementState, lists: NodeLists | null, j: number, out: Int32Array): void {
  const cp = s.cp;
  const R = cp.R;
  let bestExcess = Infinity;
  let bestCost = Infinity;
  const from = lists ? lists.start[j] : 0;
  const to = lists ? lists.start[j + 1] : cp.m;
  for (let t = from; t < to; t++) {
    const i = lists ? lists.nodes[t] : t;
    const k = cp.nodeClass[i];
    for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
      let e = 0;
      for (let r = 0; r < R; r++) {
        const x = s.load[i * R + r] + cp.optW[o * R + r] - cp.cap[i * R + r];
        if (x > 0) e += x * s.invCap[i * R + r];
      }
      if (e < bestExcess || (e === bestExcess && cp.optCost[o] < bestCost)) {
        bestExcess = e;
        bestCost = cp.optCost[o];
        out[0] = i;
        out[1] = o;
      }
    }
  }
}

/**
 * Moves workloads off overloaded nodes, in random order, to the admissible node where they fit
 * at least cost. Returns whether the assignment is feasible afterwards.
 */
export function repairOverloads(s: PlacementState, lists: NodeLists, rng: Rng): boolean {
  const cp = s.cp;
  const over: number[] = [];
  for (let i = 0; i < cp.m; i++) if (s.count[i] > 0 && s.nodeExcess(i) > 0) over.push(i);
  rng.shuffle(over);
  for (const i of over) {
    const jobs: number[] = [];
    for (let j = s.head[i]; j >= 0; j = s.nextOf[j]) jobs.push(j);
    rng.shuffle(jobs);
    for (const j of jobs) {
      if (s.nodeExcess(i) === 0) break;
      const own = s.opt[j];
      s.remove(j);
      let bestNode = -1;
      let bestOpt = -1;
      for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
        const b = lists.nodes[t];
        if (b === i) continue;
        const o = cheapestFittingOption(s, j, b);
        if (o >= 0 && (bestOpt < 0 || cp.optCost[o] + (s.count[b] ? 0 : cp.idleCost[b]) < cp.optCost[bestOpt] + (s.count[bestNode] ? 0 : cp.idleCost[bestNode]))) {
          bestNode = b;
          bestOpt = o;
        }
      }
      if (bestOpt >= 0) s.add(j, bestNode, bestOpt);
      else s.add(j, i, own);
    }
  }
  return s.feasible();
}
