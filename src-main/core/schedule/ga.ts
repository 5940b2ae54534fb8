/**
 * Genetic algorithm after Chu & Beasley, "A genetic algorithm for the generalised assignment
 * problem", Computers & Operations Research 24(1), 1997: steady state, population 100, binary
 * tournament on fitness, uniform crossover, a two-gene exchange mutation, then their heuristic
 * improvement operator (1: empty overloaded nodes into nodes with room; 2: move each workload to
 * the cheapest node with room), and the child replaces the member of highest unfitness (excess),
 * ties by highest cost, unless it duplicates a member.
 */
import { candidateLists } from './candidates';
import type { CompiledProblem } from './compiled';
import { repairOverloads } from './repair';
import { Rng } from '../../common/random';
import { RunControl, resultOf } from './run-control';
import type { Scheduler, SolveOptions, SolveResult } from './scheduler';
import { cheapestFittingOption, cheapestOption, PlacementState, type NodeLists } from './state';

export const gaParams = { population: 100, tournament: 2 } as const;

interface Member {
  node: Int32Array;
  opt: Int32Array;
  fitness: number;
  unfitness: number;
  hash: number;
}

function hashOf(node: Int32Array): number {
  let h = 0x811c9dc5;
  for (let j = 0; j < node.length; j++) h = Math.imul(h ^ node[j], 0x01000193);
  return h >>> 0;
}

/** Step 2 of Chu & Beasley's operator: each workload (random order) to the cheapest node with room. */
function improve(s: PlacementState, lists: NodeLists, order: Int32Array, rng: Rng): void {
  const cp = s.cp;
  rng.shuffle(order);
  for (const j of order) {
    const a = s.node[j];
    const own = s.opt[j];
    const here = cp.optCost[own] + (s.count[a] === 1 ? cp.idleCost[a] : 0);
    // With links, off its node while places are sought, so links its old and new paths share count once.
    const detached = cp.L > 0;
    if (detached) s.remove(j);
    let bestNode = -1;
    let bestOpt = -1;
    let bestCost = here;
    for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
      const b = lists.nodes[t];
      if (b === a) continue;
      const o = cheapestFittingOption(s, j, b);
      if (o < 0) continue;
      const c = cp.optCost[o] + (s.count[b] === 0 ? cp.idleCost[b] : 0);
      if (c < bestCost - 1e-12) {
        bestCost = c;
        bestNode = b;
        bestOpt = o;
      }
    }
    if (!detached) {
      if (bestNode >= 0) s.move(j, bestNode, bestOpt);
    } else if (bestNode >= 0) s.add(j, bestNode, bestOpt);
    else s.add(j, a, own);
  }
}

export function solveGa(cp: CompiledProblem, options: SolveOptions = {}): SolveResult {
  const control = new RunControl(cp, options);
  const rng = new Rng(options.seed ?? 1);
  const lists = candidateLists(cp, 32);
  const s = new PlacementState(cp);
  const order = Int32Array.from({ length: cp.n }, (_, j) => j);
  const childNode = new Int32Array(cp.n);
  const childOpt = new Int32Array(cp.n);
  const pop: Member[] = [];
  let best = -1;

  const finish = (): Member => {
    if (!s.feasible()) repairOverloads(s, lists, rng, 1);
    improve(s, lists, order, rng);
    return { node: Int32Array.from(s.node), opt: Int32Array.from(s.opt), fitness: s.objective(), unfitness: s.excess(), hash: hashOf(s.node) };
  };
  const noteBest = (k: number) => {
    const mem = pop[k];
    if (mem.unfitness === 0 && (best < 0 || mem.fitness < pop[best].fitness)) {
      best = k;
      control.offer(mem.fitness);
    }
  };
  const randomOption = (j: number) => {
    const t = lists.start[j] + rng.int(lists.start[j + 1] - lists.start[j]);
    return t;
  };

  for (let k = 0; k < gaParams.population && !control.done(); k++) {
    s.clear();
    for (let j = 0; j < cp.n; j++) {
      const t = randomOption(j);
      s.add(j, lists.nodes[t], cheapestOption(cp, j, lists.nodes[t]));
    }
    pop.push(finish());
    noteBest(pop.length - 1);
  }
  const tournament = () => {
    let w = rng.int(pop.length);
    for (let r = 1; r < gaParams.tournament; r++) {
      const c = rng.int(pop.length);
      if (pop[c].fitness < pop[w].fitness) w = c;
    }
    return pop[w];
  };

  while (!control.done() && pop.length > 1) {
    const p1 = tournament();
    const p2 = tournament();
    for (let j = 0; j < cp.n; j++) {
      const from = rng.next() < 0.5 ? p1 : p2;
      childNode[j] = from.node[j];
      childOpt[j] = from.opt[j];
    }
    // Mutation: two workloads exchange nodes (when both can run on the other's node).
    const x = rng.int(cp.n);
    const y = rng.int(cp.n);
    const ox = cheapestOption(cp, x, childNode[y]);
    const oy = cheapestOption(cp, y, childNode[x]);
    if (x !== y && ox >= 0 && oy >= 0) {
      const nx = childNode[x];
      childNode[x] = childNode[y];
      childOpt[x] = ox;
      childNode[y] = nx;
      childOpt[y] = oy;
    }
    s.setFrom(childNode, childOpt);
    const child = finish();
    control.step();
    if (pop.some((mem) => mem.hash === child.hash && mem.node.every((v, j) => v === child.node[j]))) continue;
    let worst = 0;
    for (let k = 1; k < pop.length; k++) {
      const a = pop[k];
      const b = pop[worst];
      if (a.unfitness > b.unfitness || (a.unfitness === b.unfitness && a.fitness > b.fitness)) worst = k;
    }
    if (worst === best) continue; // the best is never the worst unless all are equal
    pop[worst] = child;
    noteBest(worst);
  }
  const out = best >= 0 ? pop[best] : pop.reduce((a, b) => (b.unfitness < a.unfitness ? b : a));
  return resultOf(cp, 'ga', out.node, out.opt, control);
}

export const gaScheduler: Scheduler = {
  algorithm: 'ga',
  solve: async (cp, options) => solveGa(cp, options),
};
