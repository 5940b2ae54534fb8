/**
 * Locality and links on a hand-made instance with known answers (fixtures.ts, twoSites): the
 * independent checker and the exact MIP must both see where a workload's inputs come from, the
 * capacity of LANs and links, the transfer time against the SLO and the transfer energy.
 */
import { describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { parseProblem, type PlacementProblemInput } from '../../../src-main/common/placement/problem';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { acoBest, mipOptimum } from './exact';
import { twoSites } from './fixtures';

const variant = (change: (p: PlacementProblemInput) => void): PlacementProblemInput => {
  const p = twoSites();
  change(p);
  return p;
};
const kinds = (r: ReturnType<typeof checkPlacement>) => r.violations.map((v) => v.constraint);

describe('locality and links', () => {
  it('charges the LAN, the link and the other LAN for inputs served at another site, and the LAN alone at home', () => {
    const problem = parseProblem(twoSites());
    const r = checkPlacement(problem, { w1: 'b1', w2: 'a1' });
    expect(r.violations).toEqual([]);
    // LAN A carries both (2 J each), the link one (10 J); site B has no LAN described (free).
    expect(r.energy.transferJ).toBeCloseTo(14, 9);
    expect(r.energy.inferenceJ).toBeCloseTo(220, 9);
    expect(r.energy.alwaysOnIdleJ).toBeCloseTo(200, 9);
    expect(r.energyJ).toBeCloseTo(434, 9);
    const lan = r.hops.find((h) => h.hopId === 'lan:A')!;
    expect(lan).toMatchObject({ kind: 'lan', mbps: 16, capacityMbps: 100, workloadIds: ['w1', 'w2'] });
    expect(lan.energyJ).toBeCloseTo(4, 9);
    expect(r.hops.find((h) => h.hopId === 'ab')).toMatchObject({ kind: 'link', mbps: 8, capacityMbps: 10, workloadIds: ['w1'] });
  });

  it('finds the known optimum: one workload over the link (its capacity takes one), one at home', async () => {
    const best = await mipOptimum(twoSites());
    expect(best.result.objective).toBeCloseTo(434, 6);
    expect(best.report.feasible).toBe(true);
    expect(best.report.objective).toBeCloseTo(434, 6);
    expect(Object.values(best.assignment).sort()).toEqual(['a1', 'b1']);
    const aco = acoBest(twoSites());
    expect(aco.report.feasible).toBe(true);
    expect(aco.result.objective).toBeCloseTo(434, 6);
  });

  it('holds link capacity as a hard constraint: both over a 10 Mb/s link is refused by the checker, and 264 J is reachable only without it', async () => {
    const problem = parseProblem(twoSites());
    const both = checkPlacement(problem, { w1: 'b1', w2: 'b1' });
    expect(kinds(both)).toEqual(['network']);
    expect(both.violations[0].message).toBe('Link "ab" between sites "A" and "B" carries 16 Mb/s of inputs but has 10 Mb/s.');
    expect(both.objective).toBeCloseTo(264, 9);
    const wide = await mipOptimum(variant((p) => (p.links![0].mbps = 20)));
    expect(wide.result.objective).toBeCloseTo(264, 6);
    expect(wide.assignment).toEqual({ w1: 'b1', w2: 'b1' });
  });

  it('keeps a workload at its site when no link joins the sites', async () => {
    const isolated = variant((p) => (p.links = []));
    const r = checkPlacement(parseProblem(isolated), { w1: 'b1', w2: 'a1' });
    expect(kinds(r)).toEqual(['noPath']);
    expect(r.violations[0]).toMatchObject({ workloadId: 'w1', nodeId: 'b1' });
    expect(r.violations[0].message).toBe('Workload "w1" comes from site "A" but node "b1" is at site "B", and no link joins the two sites.');
    const best = await mipOptimum(isolated);
    expect(best.assignment).toEqual({ w1: 'a1', w2: 'a1' });
    expect(best.result.objective).toBeCloseTo(604, 6);
  });

  it('adds round trips and serialisation on every hop to the latency against the SLO', async () => {
    // 5 ms inference + LAN A (1 + 4 ms) + link (4 + 40 ms) = 54 ms over a 50 ms SLO.
    const tight = variant((p) => (p.workloads[1].sloMs = 50));
    const r = checkPlacement(parseProblem(tight), { w1: 'a1', w2: 'b1' });
    expect(kinds(r)).toEqual(['slo']);
    expect(r.violations[0].message).toBe('Workload "w2" takes 54 ms on node "b1" (5 ms of inference, 49 ms over the LAN of site "A" and link "ab"), over its 50 ms SLO.');
    const best = await mipOptimum(tight);
    expect(best.assignment).toEqual({ w1: 'b1', w2: 'a1' });
    expect(best.result.objective).toBeCloseTo(434, 6);
  });

  it('holds LAN capacity too: with 12 Mb/s at site A one workload must leave by the cloud, which does not cross the LAN', async () => {
    const lanBound = variant((p) => {
      p.sites![0].lan!.mbps = 12;
      p.workloads[0].allowCloud = true;
      p.cloud = { id: 'cloud', uplinkMbps: 100, rttMs: 10, transmitJPerMB: 3, serverLatencyMs: 1 };
    });
    const problem = parseProblem(lanBound);
    const r = checkPlacement(problem, { w1: 'b1', w2: 'a1' });
    expect(kinds(r)).toEqual(['network']);
    expect(r.violations[0].message).toBe('The LAN of site "A" carries 16 Mb/s of inputs but has 12 Mb/s.');
    // w1 in the cloud (100 MB x 3 J/MB = 300 J), w2 over the link (32 J), 200 J idle.
    const best = await mipOptimum(lanBound);
    expect(best.assignment).toEqual({ w1: 'cloud', w2: 'b1' });
    expect(best.result.objective).toBeCloseTo(532, 6);
    expect(best.report.feasible).toBe(true);
  });

  it('refuses to compile a workload whose site reaches no node able to run it', () => {
    const stranded = variant((p) => {
      p.links = [];
      p.nodes = p.nodes.filter((n) => n.id === 'b1');
    });
    expect(() => compileProblem(parseProblem(stranded))).toThrow(/No node can run workloads "w1", "w2": no allowed device type reachable from its site/);
  });
});
