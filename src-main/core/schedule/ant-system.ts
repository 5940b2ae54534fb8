/**
 * The basic Ant System (Dorigo, Maniezzo & Colorni, IEEE Trans. SMC-B 26(1), 1996), adapted to
 * assignment the usual way (pheromone on workload-node pairs) and with none of the improvements
 * of aco.ts: alpha 1, beta 2, rho 0.5 (Dorigo & Stutzle 2004, Table 3.3 / Stutzle's ACOTSP
 * defaults for AS), every ant deposits 1/F, no pheromone bounds, a static heuristic (cost
 * efficiency only), workloads in file order, no local search, no restarts.
 *
 * An ant only picks nodes with room; when none has room it takes the least overload, and an
 * infeasible ant deposits as if its objective were worse by its relative excess x the
 * objective of the greedy assignment (a plain static penalty).
 */
import { candidateLists } from './candidates';
import type { CompiledProblem } from './compiled';
import { byDecreasingMinCost, greedyFill } from './greedy';
import { leastExcessChoice } from './repair';
import { Rng } from '../../common/random';
import { RunControl, resultOf } from './run-control';
import type { Scheduler, SolveOptions, SolveResult } from './scheduler';
import { PlacementState } from './state';

export const antSystemParams = { alpha: 1, beta: 2, rho: 0.5, ants: 20 } as const;

export function solveAntSystem(cp: CompiledProblem, options: SolveOptions = {}): SolveResult {
  const control = new RunControl(cp, options);
  const rng = new Rng(options.seed ?? 1);
  const lists = candidateLists(cp, 32);
  const { ants, rho } = antSystemParams;
  const L = lists.nodes.length;
  const tau = new Float64Array(L);
  const eta = new Float64Array(L);
  const etaOpt = new Int32Array(L);
  const greedy = new PlacementState(cp);
  greedyFill(greedy, byDecreasingMinCost(cp), lists);
  const scale = Math.max(greedy.objective(), 1e-12);
  // tau_0 = m / C_greedy, as ACOTSP sets it for AS from the nearest-neighbour tour.
  tau.fill(ants / scale);
  for (let j = 0; j < cp.n; j++) {
    let lo = Infinity;
    for (let o = cp.optStart[j * cp.K]; o < cp.optStart[(j + 1) * cp.K]; o++) lo = Math.min(lo, cp.optCost[o]);
    for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
      const i = lists.nodes[t];
      const k = cp.nodeClass[i];
      let best = -1;
      for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) if (best < 0 || cp.optCost[o] < cp.optCost[best]) best = o;
      etaOpt[t] = best;
      // 1 / cost, shifted so that a zero-cost option stays finite.
      const e = 1 / (cp.optCost[best] - lo + 1e-3 * (Math.abs(lo) + 1));
      eta[t] = e * e;
    }
  }
  const solutions = Array.from({ length: ants }, () => new PlacementState(cp));
  const weights = new Float64Array(L);
  const pick = new Int32Array(2);
  let best: PlacementState | null = null;
  let bestF = Infinity;
  while (!control.done()) {
    for (const s of solutions) {
      s.clear();
      for (let j = 0; j < cp.n; j++) {
        let total = 0;
        for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
          const w = s.fits(lists.nodes[t], etaOpt[t]) ? tau[t] * eta[t] : 0;
          total += w;
          weights[t] = total;
        }
        if (total > 0) {
          const x = rng.next() * total;
          let t = lists.start[j];
          while (t < lists.start[j + 1] - 1 && weights[t] <= x) t++;
          s.add(j, lists.nodes[t], etaOpt[t]);
        } else {
          leastExcessChoice(s, null, j, pick);
          s.add(j, pick[0], pick[1]);
        }
      }
      if (s.feasible() && s.objective() < bestF) {
        bestF = s.objective();
        best ??= new PlacementState(cp);
        best.copyFrom(s);
        control.offer(bestF);
      }
    }
    for (let t = 0; t < L; t++) tau[t] *= 1 - rho;
    for (const s of solutions) {
      const f = s.objective() + s.excess() * scale;
      const deposit = 1 / Math.max(f, 1e-12);
      for (let j = 0; j < cp.n; j++) {
        for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
          if (lists.nodes[t] === s.node[j]) {
            tau[t] += deposit;
            break;
          }
        }
      }
    }
    control.step();
  }
  const out = best ?? greedy;
  return resultOf(cp, 'as', out.node, out.opt, control);
}

export const antSystemScheduler: Scheduler = {
  algorithm: 'as',
  solve: async (cp, options) => solveAntSystem(cp, options),
};
