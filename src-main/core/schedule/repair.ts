/**
 * Shared placement steps for constructive solvers: the fallback when nothing fits and a
 * feasibility repair that empties overloaded nodes into nodes with room and moves workloads off
 * overloaded links.
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
  let bestExcess = Infinity;
  let bestCost = Infinity;
  const from = lists ? lists.start[j] : 0;
  const to = lists ? lists.start[j + 1] : cp.m;
  for (let t = from; t < to; t++) {
    const i = lists ? lists.nodes[t] : t;
    const k = cp.nodeClass[i];
    for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
      const e = s.excessIfAdded(i, o);
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
 * at least cost; then workloads off overloaded links (to a node whose path avoids them or has
 * room). A pass can make room that a later one uses, so passes repeat while the overload
 * shrinks, up to `passes` (the GA keeps Chu & Beasley's single pass). Returns whether the
 * assignment is feasible afterwards.
 */
export function repairOverloads(s: PlacementState, lists: NodeLists, rng: Rng, passes = 4): boolean {
  let before = s.excess();
  for (let pass = 0; pass < passes && before > 0; pass++) {
    repairPass(s, lists, rng);
    const after = s.excess();
    if (!(after < before)) break;
    before = after;
  }
  return s.feasible();
}

function repairPass(s: PlacementState, lists: NodeLists, rng: Rng): void {
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
      relocate(s, lists, j, i);
    }
  }
  for (let l = 0; l < cp.L; l++) {
    if (s.linkExcess(l) === 0) continue;
    const jobs: number[] = [];
    for (let j = 0; j < cp.n; j++) if (s.opt[j] >= 0 && crosses(cp, s.opt[j], l)) jobs.push(j);
    rng.shuffle(jobs);
    for (const j of jobs) {
      if (s.linkExcess(l) === 0) break;
      relocate(s, lists, j, -1);
    }
  }
}

function crosses(cp: PlacementState['cp'], o: number, l: number): boolean {
  for (let t = cp.optLinkStart[o]; t < cp.optLinkStart[o + 1]; t++) if (cp.optLinks[t] === l) return true;
  return false;
}

/** Moves j (taken off its node first) to the cheapest node in its list where it fits, never to `avoid`; back home when none. */
function relocate(s: PlacementState, lists: NodeLists, j: number, avoid: number): void {
  const cp = s.cp;
  const home = s.node[j];
  const own = s.opt[j];
  s.remove(j);
  let bestNode = -1;
  let bestOpt = -1;
  let bestCost = Infinity;
  for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
    const b = lists.nodes[t];
    if (b === avoid) continue;
    const o = cheapestFittingOption(s, j, b);
    const cost = o < 0 ? Infinity : cp.optCost[o] + (s.count[b] ? 0 : cp.idleCost[b]);
    if (cost < bestCost) {
      bestCost = cost;
      bestNode = b;
      bestOpt = o;
    }
  }
  if (bestOpt >= 0) s.add(j, bestNode, bestOpt);
  else s.add(j, home, own);
}
