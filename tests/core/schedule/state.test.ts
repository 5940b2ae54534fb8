import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import type { CompiledProblem } from '../../../src-main/core/schedule/compiled';
import { generateFleet } from '../../../src-main/core/schedule/fleet';
import { PeakIndex } from '../../../src-main/core/schedule/peak';
import { Rng } from '../../../src-main/common/random';
import { admissibleNodes, PlacementState } from '../../../src-main/core/schedule/state';
import { devicesDir } from './fixtures';

let cp: CompiledProblem;
beforeAll(async () => {
  const library = await DeviceLibrary.load(devicesDir);
  cp = compileProblem(generateFleet(library, { nodes: 24, workloads: 120, seed: 3, cloud: true, locality: true }));
});

/** A random admissible option of workload j: [node, option]. */
function randomChoice(rng: Rng, j: number): [number, number] {
  const lists = admissibleNodes(cp);
  const i = lists.nodes[lists.start[j] + rng.int(lists.start[j + 1] - lists.start[j])];
  const k = cp.nodeClass[i];
  const lo = cp.optStart[j * cp.K + k];
  return [i, lo + rng.int(cp.optStart[j * cp.K + k + 1] - lo)];
}

describe('incremental state', () => {
  it('keeps loads, counts, costs and the peak utilization equal to a rebuild after random moves', () => {
    const rng = new Rng(7);
    const s = new PlacementState(cp);
    for (let j = 0; j < cp.n; j++) s.add(j, ...randomChoice(rng, j));
    for (let step = 0; step < 500; step++) {
      const j = rng.int(cp.n);
      s.move(j, ...randomChoice(rng, j));
    }
    const fresh = new PlacementState(cp);
    fresh.setFrom(s.node, s.opt);
    expect(s.costSum).toBeCloseTo(fresh.costSum, 6);
    expect(Array.from(s.count)).toEqual(Array.from(fresh.count));
    for (let k = 0; k < s.load.length; k++) expect(s.load[k]).toBeCloseTo(fresh.load[k], 3);
    expect(s.objective()).toBeCloseTo(fresh.objective(), 6);
    const onNodes = new Set<number>();
    for (let i = 0; i < cp.m; i++) for (let j = s.head[i]; j >= 0; j = s.nextOf[j]) onNodes.add(j * 1000 + i);
    expect(onNodes.size).toBe(cp.n);
    for (let j = 0; j < cp.n; j++) expect(onNodes.has(j * 1000 + s.node[j])).toBe(true);
  });

  it('keeps link loads equal to the sum over the workloads crossing each link', () => {
    expect(cp.L).toBeGreaterThan(0);
    const rng = new Rng(9);
    const s = new PlacementState(cp);
    for (let j = 0; j < cp.n; j++) s.add(j, ...randomChoice(rng, j));
    for (let step = 0; step < 300; step++) {
      const j = rng.int(cp.n);
      s.move(j, ...randomChoice(rng, j));
    }
    const expected = new Float64Array(cp.L);
    for (let j = 0; j < cp.n; j++) {
      const o = s.opt[j];
      for (let t = cp.optLinkStart[o]; t < cp.optLinkStart[o + 1]; t++) expected[cp.optLinks[t]] += cp.optMbps[o];
    }
    for (let l = 0; l < cp.L; l++) expect(s.linkLoad[l]).toBeCloseTo(expected[l], 6);
    const fresh = new PlacementState(cp);
    fresh.setFrom(s.node, s.opt);
    expect(s.excess()).toBeCloseTo(fresh.excess(), 9);
  });

  it('predicts the peak utilization after a move exactly (O(1) index vs O(m) scan)', () => {
    const rng = new Rng(8);
    const s = new PlacementState(cp);
    for (let j = 0; j < cp.n; j++) s.add(j, ...randomChoice(rng, j));
    const index = new PeakIndex();
    index.rebuild(s);
    expect(index.peak).toBe(s.peak());
    for (let t = 0; t < 300; t++) {
      const a = rng.int(cp.m);
      const b = rng.next() < 0.2 ? a : rng.next() < 0.1 ? -1 : rng.int(cp.m);
      const ua = rng.uniform(0, 0.9);
      const ub = rng.uniform(0, 0.9);
      const util = Float64Array.from(s.util);
      util[a] = ua;
      if (b >= 0 && b !== a) util[b] = ub;
      expect(index.peakIf(a, ua, b, ub)).toBe(Math.max(...util));
    }
  });
});
