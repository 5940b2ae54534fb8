import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { solveAco } from '../../../src-main/core/schedule/aco';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { ScheduleError } from '../../../src-main/core/schedule/errors';
import { generateFleet } from '../../../src-main/core/schedule/fleet';
import { validateProblem } from '../../../src-main/common/placement/problem';
import { devicesDir } from './fixtures';

let library: DeviceLibrary;
beforeAll(async () => {
  library = await DeviceLibrary.load(devicesDir);
});

describe('fleet generator', () => {
  it('gives the same problem for the same seed and another for another seed', () => {
    const a = generateFleet(library, { nodes: 30, workloads: 300, seed: 4, cloud: true });
    const b = generateFleet(library, { nodes: 30, workloads: 300, seed: 4, cloud: true });
    const c = generateFleet(library, { nodes: 30, workloads: 300, seed: 5, cloud: true });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('makes valid problem files of the requested size that every workload can be placed in', () => {
    for (const [nodes, workloads] of [
      [10, 10],
      [10, 120],
      [200, 3000],
    ]) {
      const p = generateFleet(library, { nodes, workloads, seed: 1, cloud: nodes > 10 });
      const check = validateProblem(JSON.parse(JSON.stringify(p)));
      expect(check.ok, check.ok ? '' : JSON.stringify(check.problems.slice(0, 3))).toBe(true);
      expect(p.nodes).toHaveLength(nodes);
      expect(p.workloads).toHaveLength(workloads);
      const cp = compileProblem(p);
      expect(cp.n).toBe(workloads);
      expect(cp.m).toBe(nodes + (nodes > 10 ? 1 : 0));
      expect(new Set(p.nodes.map((n) => n.deviceType)).size).toBeGreaterThan(1);
    }
  });

  it('derives per-device figures from the library profiles (roofline latency, MAC + DRAM energy)', () => {
    const p = generateFleet(library, { nodes: 20, workloads: 20, seed: 1 });
    const nano = library.get('jetson-nano-10w');
    const resnet = p.models.find((m) => m.id === 'resnet-50')!;
    const f = resnet.perDevice['jetson-nano-10w'];
    // fp16 is the Nano's cheapest precision: 36.02 pJ/MAC, 2 bytes per weight, 160 pJ/B DRAM.
    const expectedJ = 4.112e9 * nano.energy.macPJ.fp16!.value * 1e-12 + 25.56e6 * 2 * 160e-12;
    expect(f.energyJ).toBeCloseTo(expectedJ, 4);
    const sustained = (nano.peakTops.fp16!.value * 1e12 * 0.35) / 2;
    expect(f.latencyMs).toBeCloseTo((4.112e9 / sustained) * 1000, 2);
  });

  it('with locality, gives workloads a site, sites a LAN and neighbours a ring of links, and stays feasible', () => {
    const p = generateFleet(library, { nodes: 40, workloads: 200, seed: 2, locality: true });
    expect(validateProblem(JSON.parse(JSON.stringify(p))).ok).toBe(true);
    expect(p.sites.map((s) => s.id)).toEqual(['site-1', 'site-2', 'site-3', 'site-4', 'site-5']);
    expect(p.links.map((l) => [l.a, l.b])).toEqual([
      ['site-1', 'site-2'],
      ['site-2', 'site-3'],
      ['site-3', 'site-4'],
      ['site-4', 'site-5'],
      ['site-5', 'site-1'],
    ]);
    expect(p.workloads.every((w) => w.site !== undefined)).toBe(true);
    const cp = compileProblem(p);
    // A workload's options sit at its own site and its two neighbours only.
    const classSites = new Map<number, string>();
    p.nodes.forEach((n, i) => classSites.set(cp.nodeClass[i], n.site));
    for (let j = 0; j < cp.n; j++) {
      const home = Number(p.workloads[j].site!.slice(5)) - 1;
      for (let k = 0; k < cp.K; k++) {
        if (cp.optStart[j * cp.K + k] === cp.optStart[j * cp.K + k + 1]) continue;
        const at = Number(classSites.get(k)!.slice(5)) - 1;
        expect([0, 1, 4]).toContain((at - home + 5) % 5);
      }
    }
    expect(solveAco(cp, { seed: 1, maxIterations: 3 }).feasible).toBe(true);
  });

  it('rejects sizes that are not whole positive numbers', () => {
    expect(() => generateFleet(library, { nodes: 0, workloads: 5, seed: 1 })).toThrow(ScheduleError);
    expect(() => generateFleet(library, { nodes: 5, workloads: 2.5, seed: 1 })).toThrow(/whole number/);
  });
});
