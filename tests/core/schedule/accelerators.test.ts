/**
 * Accelerators on hosts on a hand-made instance with known answers (fixtures.ts, hostAndStick),
 * checked by the independent checker and the exact MIP: an inference on the stick costs the
 * stick's energy plus the host's work for it, takes host CPU and stick compute, counts against
 * the host's budget, and keeps host and stick on together.
 */
import { describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { parseProblem, type PlacementProblemInput, validateProblem } from '../../../src-main/common/placement/problem';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { acoBest, mipOptimum } from './exact';
import { hostAndStick } from './fixtures';

const variant = (change: (p: PlacementProblemInput) => void): PlacementProblemInput => {
  const p = hostAndStick();
  change(p);
  return p;
};

describe('accelerators on hosts', () => {
  it('charges the host for the work it does for its stick and keeps both on together', () => {
    const r = checkPlacement(parseProblem(hostAndStick()), { w1: 's' });
    expect(r.violations).toEqual([]);
    expect(r.energyJ).toBeCloseTo(253.2, 9);
    expect(r.energy.hostJ).toBeCloseTo(1.2, 9);
    const node = (id: string) => r.nodes.find((n) => n.nodeId === id)!;
    // Host: 1.2 J of work + 200 J idle, 2/s x 2 ms = 0.4% busy. Stick: 2 J + 50 J idle, 2 x 10 / 1000 = 2%.
    expect(node('h')).toMatchObject({ workloadIds: [], powered: true });
    expect(node('h').energyJ).toBeCloseTo(201.2, 9);
    expect(node('h').utilization).toBeCloseTo(0.004, 12);
    expect(node('s').energyJ).toBeCloseTo(52, 9);
    expect(node('s').utilization).toBeCloseTo(0.02, 12);
    expect(node('x')).toMatchObject({ powered: false, energyJ: 0 });
    // On the host's own CPU the stick still idles while its host is on.
    expect(checkPlacement(parseProblem(hostAndStick()), { w1: 'h' }).energyJ).toBeCloseTo(260, 9);
  });

  it('compiles host and stick into one node whose options run on either, with the stick reported by its own id', () => {
    const cp = compileProblem(parseProblem(hostAndStick()));
    expect(cp.m).toBe(2);
    expect(cp.nodeIds).toEqual(['h', 'x']);
    expect(cp.acceleratorIds).toEqual(['s', '']);
    expect(cp.resourceNames).toEqual(['compute', 'memory', 'energy', 'accelerator compute', 'accelerator memory']);
    expect(Array.from(cp.idleCost)).toEqual([250, 300]);
  });

  it('finds the known optimum on the stick (253.2 J) with the MIP and the ACO', async () => {
    const best = await mipOptimum(hostAndStick());
    expect(best.assignment).toEqual({ w1: 's' });
    expect(best.result.objective).toBeCloseTo(253.2, 6);
    expect(best.report.objective).toBeCloseTo(253.2, 6);
    const aco = acoBest(hostAndStick());
    expect(aco.assignment).toEqual({ w1: 's' });
  });

  it("counts the stick's work against the host's CPU: two busy streams cannot both be fed by one host", async () => {
    // 30/s x 20 ms = 60% of the host each: both on the stick would need 120%. On a Pi's CPU one
    // takes 30% and 50 mJ an inference; on the stick 10 mJ + 20 ms x 1 W of host work = 30 mJ.
    const busy = variant((p) => {
      p.nodes[1].host = { nodeId: 'h', cpuMsPerInference: 20, cpuPowerW: 1 };
      p.models[0].perDevice.pi.macs = 1;
      p.workloads = [
        { id: 'w1', model: 'net', ratePerS: 30, sloMs: 100, allowCloud: false },
        { id: 'w2', model: 'net', ratePerS: 30, sloMs: 100, allowCloud: false },
      ];
      p.nodes[0].energyBudgetJ = 100_000;
    });
    const r = checkPlacement(parseProblem(busy), { w1: 's', w2: 's' });
    expect(r.violations.map((v) => v.constraint)).toEqual(['compute']);
    expect(r.violations[0].nodeId).toBe('h');
    const best = await mipOptimum(busy);
    expect(best.report.feasible).toBe(true);
    expect(Object.values(best.assignment).filter((n) => n === 's')).toHaveLength(1);
  });

  it("holds the stick's energy against its host's budget and its host's time against the SLO", async () => {
    const thrifty = variant((p) => (p.nodes[0].energyBudgetJ = 250));
    const r = checkPlacement(parseProblem(thrifty), { w1: 's' });
    expect(r.violations.map((v) => v.constraint)).toEqual(['energyBudget']);
    expect(r.violations[0].message).toBe('Node "h" and its accelerator "s" spend 253.2 J per period but the budget is 250 J.');
    expect((await mipOptimum(thrifty)).assignment).toEqual({ w1: 'x' });
    const hurried = variant((p) => (p.workloads[0].sloMs = 6)); // 5 ms on the stick + 2 ms on the host
    expect(checkPlacement(parseProblem(hurried), { w1: 's' }).violations.map((v) => v.constraint)).toEqual(['slo']);
    expect(() => compileProblem(parseProblem(hurried))).toThrow(/No node can run workload "w1"/);
  });

  it('refuses an accelerator without a host, on a host at another site, on a host that already has one, or with its own budget', () => {
    const problems = (change: (p: PlacementProblemInput) => void) => {
      const r = validateProblem(variant(change));
      return r.ok ? [] : r.problems.map((x) => `${x.path}: ${x.message}`);
    };
    expect(problems((p) => (p.nodes[1].host!.nodeId = 'ghost'))).toContain('nodes[1].host.nodeId: names the host node "ghost", which is not in "nodes"');
    expect(problems((p) => (p.nodes[1].site = 'T'))).toContain('nodes[1].host.nodeId: names node "h" at site "S", but the accelerator is at "T"');
    expect(problems((p) => p.nodes.push({ ...p.nodes[1], id: 's2' }))).toContain('nodes[3].host.nodeId: names node "h", which already hosts nodes[1]; a host carries one accelerator');
    expect(problems((p) => (p.nodes[1].energyBudgetJ = 10))).toContain("nodes[1].energyBudgetJ: must be left out on an accelerator: it draws from its host's supply and follows its host's power state");
  });
});
