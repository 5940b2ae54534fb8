/**
 * Ejection chains, path relinking and peak moves, the compound moves of the improved ACO:
 * a chain finds the cyclic exchange no shift or swap can make, a strict descent never leaves
 * feasibility (judged by the independent checker) on GAP files and on fleets with links, power
 * states, accelerators' resources and the balance term, and a chain judged under penalties
 * lowers the penalised objective by what it claims.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import type { PlacementProblem } from '../../../src-main/common/placement/problem';
import { Rng } from '../../../src-main/common/random';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { candidateLists } from '../../../src-main/core/schedule/candidates';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { reportObjective, toAssignment, type CompiledProblem } from '../../../src-main/core/schedule/compiled';
import { EjectionChain } from '../../../src-main/core/schedule/ejection-chain';
import { generateFleet } from '../../../src-main/core/schedule/fleet';
import { gapToCompiled, gapToProblem, readGapFile, type GapInstance } from '../../../src-main/core/schedule/gap';
import { solveGreedy } from '../../../src-main/core/schedule/greedy';
import { ElitePool } from '../../../src-main/core/schedule/path-relinking';
import { cappedProblem, peakKick, PeakMoves } from '../../../src-main/core/schedule/peak-moves';
import { repairOverloads } from '../../../src-main/core/schedule/repair';
import { admissibleNodes, cheapestOption, PlacementState } from '../../../src-main/core/schedule/state';
import { TabuSearch } from '../../../src-main/core/schedule/tabu';
import { devicesDir, gapDir } from './fixtures';

let library: DeviceLibrary;
beforeAll(async () => {
  library = await DeviceLibrary.load(devicesDir);
});

/** The checker's objective and feasibility of a state. */
function refereed(problem: PlacementProblem, cp: CompiledProblem, s: PlacementState) {
  const { assignment, variants } = toAssignment(cp, s.node, s.opt);
  return checkPlacement(problem, assignment, variants);
}

/**
 * Three agents that hold one job each (capacity 1, every job weighs 1). Each job sits where it
 * costs 10; the cycle j0 -> a1, j1 -> a2, j2 -> a0 costs 1 each. Every swap pays 30 for one
 * job, so shifts (no room) and swaps are all uphill: only a chain of three reaches 3.
 */
function cycleInstance(): GapInstance {
  const m = 3;
  const n = 3;
  const cost = new Float64Array(m * n).fill(30);
  for (let j = 0; j < n; j++) {
    cost[j * n + j] = 10; // agent j, job j
    cost[((j + 1) % m) * n + j] = 1; // agent j+1, job j
  }
  return { m, n, cost, weight: new Float64Array(m * n).fill(1), capacity: new Float64Array(m).fill(1) };
}

describe('ejection chains', () => {
  it('find the cyclic exchange of three that no shift or swap reaches', () => {
    const g = cycleInstance();
    const cp = gapToCompiled(g, false);
    const s = new PlacementState(cp);
    for (let j = 0; j < 3; j++) s.add(j, j, j * cp.K + j);
    expect(s.feasible()).toBe(true);
    expect(s.objective()).toBe(30);
    const chains = new EjectionChain(cp, admissibleNodes(cp));
    expect(chains.descend(s, new Rng(1), { deadline: Infinity })).toBe(1);
    expect(s.objective()).toBe(3);
    const report = refereed(gapToProblem(g, false), cp, s);
    expect(report.feasible).toBe(true);
    expect(report.objective).toBe(3);
  });

  it('improve a feasible GAP type D assignment without ever leaving feasibility', async () => {
    const file = await readGapFile(path.join(gapDir, 'gapd.txt'));
    for (const k of [0, 4]) {
      const g = file.instances[k];
      const cp = gapToCompiled(g, false);
      const s = new PlacementState(cp);
      const greedy = solveGreedy(cp);
      s.setFrom(greedy.assignment, greedy.option);
      // The greedy placement of type D is not feasible: a short tabu search makes it so (a poor start).
      const tabu = new TabuSearch(cp, new Rng(1));
      tabu.run(s, { iterations: 100, deadline: Infinity });
      s.setFrom(tabu.bestNode, tabu.bestOpt);
      // Random swaps that keep capacity make it worse still.
      const rng = new Rng(7);
      for (let t = 0; t < 2000; t++) {
        const j = rng.int(cp.n);
        const q = rng.int(cp.n);
        const a = s.node[j];
        const b = s.node[q];
        const oj = cheapestOption(cp, j, b);
        const oq = cheapestOption(cp, q, a);
        if (a === b || oj < 0 || oq < 0) continue;
        const [ja, qb] = [s.opt[j], s.opt[q]];
        s.remove(j);
        s.remove(q);
        s.add(j, b, oj);
        s.add(q, a, oq);
        if (!s.feasible()) {
          s.move(j, a, ja);
          s.move(q, b, qb);
        }
      }
      expect(s.feasible()).toBe(true);
      const before = s.objective();
      const chains = new EjectionChain(cp, admissibleNodes(cp));
      // Chain by chain: every intermediate assignment is feasible and no worse.
      let last = before;
      for (let t = 0; t < 5 * cp.n; t++) {
        if (!chains.improveFrom(s, rng.int(cp.n))) continue;
        expect(s.feasible()).toBe(true);
        expect(s.objective()).toBeLessThan(last);
        last = s.objective();
      }
      chains.descend(s, rng, { deadline: Infinity });
      const report = refereed(gapToProblem(g, false), cp, s);
      expect(report.feasible).toBe(true);
      expect(report.objective).toBe(s.objective());
      expect(report.objective).toBeLessThan(before * 0.97);
    }
  });

  it('keep fleets with links, always-on and sleeping nodes and the balance term feasible, and lower their objective', () => {
    for (const seed of [1, 2]) {
      const problem = generateFleet(library, { nodes: 16, workloads: 80, seed, locality: true, cloud: seed === 2 });
      // Mains nodes that stay on: idle energy leaves the decision, the balance term still counts.
      problem.nodes.forEach((node, i) => {
        if (i % 3 === 0 && node.energyBudgetJ === undefined) node.powerState = 'always-on';
      });
      const cp = compileProblem(problem);
      expect(cp.L).toBeGreaterThan(0);
      expect(cp.lambda).toBeGreaterThan(0);
      const lists = candidateLists(cp);
      const s = new PlacementState(cp);
      const greedy = solveGreedy(cp);
      s.setFrom(greedy.assignment, greedy.option);
      if (!s.feasible()) repairOverloads(s, lists, new Rng(seed));
      expect(s.feasible()).toBe(true);
      const before = s.objective();
      const chains = new EjectionChain(cp, lists);
      const applied = chains.descend(s, new Rng(seed), { deadline: Infinity });
      expect(applied).toBeGreaterThan(0);
      const report = refereed(problem, cp, s);
      expect(report.feasible, JSON.stringify(report.violations.slice(0, 2))).toBe(true);
      expect(report.objective).toBeCloseTo(reportObjective(cp, s.objective()), 6);
      expect(s.objective()).toBeLessThan(before);
    }
  });

  it('under shared penalty weights, lower the penalised objective by the change they claim', async () => {
    const file = await readGapFile(path.join(gapDir, 'gapd.txt'));
    const cp = gapToCompiled(file.instances[2], false);
    const weight = new Float64Array(cp.m * cp.R).fill(200);
    const penalised = (s: PlacementState) => {
      let p = s.objective();
      for (let i = 0; i < cp.m; i++) if (s.count[i] > 0) p += weight[i] * s.nodeExcess(i);
      return p;
    };
    const s = new PlacementState(cp);
    const greedy = solveGreedy(cp);
    s.setFrom(greedy.assignment, greedy.option);
    const chains = new EjectionChain(cp, admissibleNodes(cp), undefined, { node: weight, link: new Float64Array(0) });
    expect(chains.strict).toBe(false);
    let found = 0;
    for (let j = 0; j < cp.n; j++) {
      const before = penalised(s);
      if (chains.improveFrom(s, j)) {
        found++;
        expect(penalised(s)).toBeLessThan(before - 1e-9);
      } else expect(penalised(s)).toBeCloseTo(before, 9); // a chain that does not pay is undone
    }
    expect(found).toBeGreaterThan(0);
  });
});

describe('path relinking', () => {
  it('keeps distinct feasible elites and starts between two of them', async () => {
    const file = await readGapFile(path.join(gapDir, 'gapd.txt'));
    const cp = gapToCompiled(file.instances[0], false);
    const lists = admissibleNodes(cp);
    const pool = new ElitePool(cp, 4);
    const rng = new Rng(3);
    const s = new PlacementState(cp);
    const greedy = solveGreedy(cp);
    const chains = new EjectionChain(cp, lists);
    const members: Int32Array[] = [];
    for (let e = 0; e < 3; e++) {
      s.setFrom(greedy.assignment, greedy.option);
      // Different feasible assignments: random shifts, then repair and chains.
      for (let t = 0; t < 30; t++) {
        const j = rng.int(cp.n);
        const i = rng.int(cp.m);
        const o = cheapestOption(cp, j, i);
        if (o >= 0) s.move(j, i, o);
      }
      repairOverloads(s, lists, rng);
      chains.descend(s, rng, { deadline: Infinity });
      expect(pool.offer(s)).toBe(true);
      expect(pool.offer(s)).toBe(false); // already there
      members.push(s.node.slice());
    }
    expect(pool.count).toBe(3);
    expect(pool.relink(s, rng, 0.5)).toBe(true);
    // Every workload sits where one of two members has it, and the point is neither member.
    const onPath = members.some((x) => members.some((y) => x !== y && Array.from(s.node).every((i, j) => i === x[j] || i === y[j])));
    expect(onPath).toBe(true);
    expect(members.some((x) => Array.from(s.node).every((i, j) => i === x[j]))).toBe(false);
  });
});

describe('peak moves', () => {
  it('take every node at the peak down at once, which no single shift does', () => {
    // Four identical agents of capacity 10; four jobs of weight 4 and cost 1 anywhere; lambda 10.
    const g: GapInstance = { m: 4, n: 4, cost: new Float64Array(16).fill(1), weight: new Float64Array(16).fill(4), capacity: new Float64Array(4).fill(10) };
    const cp = { ...gapToCompiled(g, false), lambda: 10 };
    const s = new PlacementState(cp);
    // Two agents at 80%, two empty: F = 4 + 10 x 0.8.
    [0, 0, 1, 1].forEach((i, j) => s.add(j, i, cheapestOption(cp, j, i)));
    expect(s.objective()).toBeCloseTo(12, 9);
    // Every single shift leaves one agent at 80%: the peak, and F, do not move.
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i < 4; i++) {
        if (i === s.node[j]) continue;
        const [a, o] = [s.node[j], s.opt[j]];
        s.move(j, i, cheapestOption(cp, j, i));
        expect(s.objective()).toBeGreaterThanOrEqual(12 - 1e-9);
        s.move(j, a, o);
      }
    }
    const moves = new PeakMoves(cp, admissibleNodes(cp));
    expect(moves.lower(s)).toBe(true);
    expect(s.feasible()).toBe(true);
    expect(s.peak()).toBeCloseTo(0.4, 9);
    expect(s.objective()).toBeCloseTo(8, 9);
    expect(moves.lower(s)).toBe(false); // one job per agent: nothing lower is possible
  });

  it('cap the peak and let a short tabu search repair: the result keeps every capacity with a lower peak', () => {
    const g: GapInstance = { m: 4, n: 4, cost: new Float64Array(16).fill(1), weight: new Float64Array(16).fill(4), capacity: new Float64Array(4).fill(10) };
    const cp = { ...gapToCompiled(g, false), lambda: 10 };
    expect(Array.from(cappedProblem(cp, 0.5).cap)).toEqual([5, 5, 5, 5]);
    const s = new PlacementState(cp);
    [0, 0, 1, 1].forEach((i, j) => s.add(j, i, cheapestOption(cp, j, i)));
    for (let seed = 1; seed <= 4; seed++) {
      const kicked = peakKick(cp, s, new Rng(seed), { iterations: 50, deadline: Infinity });
      expect(kicked).not.toBeNull();
      const t = new PlacementState(cp);
      t.setFrom(kicked!.node, kicked!.opt);
      expect(t.feasible()).toBe(true);
      expect(t.peak()).toBeLessThanOrEqual(0.75 + 1e-9);
      expect(t.objective()).toBeCloseTo(8, 9);
    }
  });
});
