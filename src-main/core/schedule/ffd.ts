/**
 * First-fit decreasing, the bin-packing baseline: workloads by decreasing size (their largest
 * demand on any resource relative to the mean node capacity), each on the first node in file
 * order with room, with its cheapest variant that fits there. Packs tightly (few nodes on, so
 * little idle energy) but ignores which device type is efficient.
 */
import type { CompiledProblem } from './compiled';
import { leastExcessChoice, repairOverloads } from './repair';
import { Rng } from '../../common/random';
import { RunControl, resultOf } from './run-control';
import type { Scheduler, SolveOptions, SolveResult } from './scheduler';
import { admissibleNodes, cheapestFittingOption, PlacementState } from './state';
import { candidateLists } from './candidates';

export function solveFfd(cp: CompiledProblem, options: SolveOptions = {}): SolveResult {
  const control = new RunControl(cp, options);
  const { n, m, R, K } = cp;
  const meanCap = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < m; i++) {
      if (!Number.isFinite(cp.cap[i * R + r])) continue;
      sum += cp.cap[i * R + r];
      count++;
    }
    meanCap[r] = count && sum > 0 ? sum / count : Infinity;
  }
  const size = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = Infinity;
    for (let o = cp.optStart[j * K]; o < cp.optStart[(j + 1) * K]; o++) {
      let big = 0;
      for (let r = 0; r < R; r++) big = Math.max(big, cp.optW[o * R + r] / meanCap[r]);
      s = Math.min(s, big);
    }
    size[j] = s;
  }
  const order = Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => size[b] - size[a] || a - b);
  const lists = n * m <= 4_000_000 ? admissibleNodes(cp) : candidateLists(cp, 256);
  const s = new PlacementState(cp);
  const pick = new Int32Array(2);
  for (const j of order) {
    let placed = false;
    for (let t = lists.start[j]; t < lists.start[j + 1] && !placed; t++) {
      const o = cheapestFittingOption(s, j, lists.nodes[t]);
      if (o >= 0) {
        s.add(j, lists.nodes[t], o);
        placed = true;
      }
    }
    if (!placed) {
      leastExcessChoice(s, null, j, pick);
      s.add(j, pick[0], pick[1]);
    }
  }
  if (!s.feasible()) repairOverloads(s, lists, new Rng(options.seed ?? 1));
  control.step();
  if (s.feasible()) control.offer(s.objective());
  return resultOf(cp, 'ffd', s.node, s.opt, control);
}

export const ffdScheduler: Scheduler = {
  algorithm: 'ffd',
  solve: async (cp, options) => solveFfd(cp, options),
};
