/**
 * Compound moves on whole nodes, for fleets where idle energy makes switching nodes off worth
 * more than any single shift: *close* empties an open node into the other open nodes with room
 * (cheapest option each, biggest workloads first), possibly switching one empty node on to take
 * part of the load; *relocate* moves everything on an open node to one empty node (a more
 * efficient or better-sized device). Both are uphill for every
 * single-workload step on the way, so shift/swap searches rarely find them (facility-location
 * structure). A move is kept only when it keeps the touched nodes and links within capacity and
 * lowers F. Each workload leaves its node before its new place is sought, so links its old and
 * new paths share are not counted twice.
 *
 * @example
 * const moves = new NodeMoves(cp, lists);
 * while (moves.pass(state)) {} // until no node can be closed or relocated profitably
 */
import { improvementTolerance, type CompiledProblem } from './compiled';
import { nodeGroups } from './symmetry';
import type { NodeLists, PlacementState } from './state';

export class NodeMoves {
  private readonly jobs: Int32Array;
  private readonly oldOpt: Int32Array;
  private readonly group: Int32Array;
  private readonly firstEmpty: Int32Array;
  private readonly eps: number;

  constructor(
    readonly cp: CompiledProblem,
    private readonly lists: NodeLists,
  ) {
    this.jobs = new Int32Array(cp.n);
    this.oldOpt = new Int32Array(cp.n);
    this.group = nodeGroups(cp);
    this.firstEmpty = new Int32Array(cp.m);
    this.eps = improvementTolerance(cp);
  }

  /** One pass of close and relocate over every open node with an idle cost; true when something improved. */
  pass(s: PlacementState): boolean {
    const cp = this.cp;
    let improved = false;
    for (let i = 0; i < cp.m; i++) {
      if (s.count[i] === 0 || cp.idleCost[i] <= 0) continue;
      if (this.close(s, i)) {
        improved = true;
        continue;
      }
      this.firstEmpty.fill(-1);
      for (let b = cp.m - 1; b >= 0; b--) if (s.count[b] === 0) this.firstEmpty[this.group[b]] = b;
      for (let g = 0; g < this.firstEmpty.length; g++) {
        const b = this.firstEmpty[g];
        if (b < 0 || this.group[b] === this.group[i]) continue;
        if (this.relocate(s, i, b) || this.close(s, i, b)) {
          improved = true;
          break;
        }
      }
    }
    return improved;
  }

  /** Collects the workloads of node i, biggest compute weight first. Returns how many. */
  private collect(s: PlacementState, i: number): number {
    const cp = this.cp;
    let c = 0;
    for (let j = s.head[i]; j >= 0; j = s.nextOf[j]) {
      this.jobs[c] = j;
      this.oldOpt[j] = s.opt[j];
      c++;
    }
    const sub = this.jobs.subarray(0, c);
    sub.sort((x, y) => cp.optW[s.opt[y] * cp.R] - cp.optW[s.opt[x] * cp.R]);
    return c;
  }

  private undo(s: PlacementState, count: number, home: number): void {
    for (let t = 0; t < count; t++) {
      const j = this.jobs[t];
      if (s.node[j] !== home || s.opt[j] !== this.oldOpt[j]) s.move(j, home, this.oldOpt[j]);
    }
  }

  /** Empties node i into the open nodes (and node `open`, if not -1, which may be empty); keeps it if F drops. */
  close(s: PlacementState, i: number, open = -1): boolean {
    const cp = this.cp;
    const before = s.objective();
    const count = this.collect(s, i);
    for (let t = 0; t < count; t++) {
      const j = this.jobs[t];
      s.remove(j);
      let bestNode = -1;
      let bestOpt = -1;
      for (let u = this.lists.start[j]; u < this.lists.start[j + 1]; u++) {
        const b = this.lists.nodes[u];
        if (b === i || (s.count[b] === 0 && b !== open)) continue;
        const k = cp.nodeClass[b];
        for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
          if ((bestOpt < 0 || cp.optCost[o] < cp.optCost[bestOpt]) && s.fits(b, o)) {
            bestNode = b;
            bestOpt = o;
          }
        }
      }
      if (bestOpt < 0) {
        s.add(j, i, this.oldOpt[j]);
        this.undo(s, count, i);
        return false;
      }
      s.add(j, bestNode, bestOpt);
    }
    if (s.objective() < before - this.eps) return true;
    this.undo(s, count, i);
    return false;
  }

  /**
   * Switches open node i off regardless of capacity: each of its workloads goes to the other open
   * node (in its list) where it adds the least relative excess, ties by cost. The result is
   * usually infeasible; a penalised search then repairs it (a perturbation, not an improvement).
   */
  kick(s: PlacementState, i: number): void {
    const cp = this.cp;
    const count = this.collect(s, i);
    for (let t = 0; t < count; t++) {
      const j = this.jobs[t];
      s.remove(j);
      let bestNode = -1;
      let bestOpt = -1;
      let bestExcess = Infinity;
      let bestCost = Infinity;
      for (let u = this.lists.start[j]; u < this.lists.start[j + 1]; u++) {
        const b = this.lists.nodes[u];
        if (b === i || s.count[b] === 0) continue;
        const k = cp.nodeClass[b];
        for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
          const e = s.excessIfAdded(b, o);
          if (e < bestExcess || (e === bestExcess && cp.optCost[o] < bestCost)) {
            bestExcess = e;
            bestCost = cp.optCost[o];
            bestNode = b;
            bestOpt = o;
          }
        }
      }
      if (bestNode >= 0) s.add(j, bestNode, bestOpt);
      else s.add(j, i, this.oldOpt[j]);
    }
  }

  relocate(s: PlacementState, a: number, b: number): boolean {
    const cp = this.cp;
    const before = s.objective();
    const count = this.collect(s, a);
    const k = cp.nodeClass[b];
    for (let t = 0; t < count; t++) {
      const j = this.jobs[t];
      s.remove(j);
      let best = -1;
      for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
        if ((best < 0 || cp.optCost[o] < cp.optCost[best]) && s.fits(b, o)) best = o;
      }
      if (best < 0) {
        s.add(j, a, this.oldOpt[j]);
        this.undo(s, count, a);
        return false;
      }
      s.add(j, b, best);
    }
    if (s.objective() < before - this.eps) return true;
    this.undo(s, count, a);
    return false;
  }
}
