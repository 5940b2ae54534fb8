/** `joule schedule sweep`: the energy-vs-balance front from the command line, its JSON, table and exit codes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParetoSweepResult } from '../../src-main/common/api/placement';
import { cli } from './run-cli';

const sampleFile = path.resolve(import.meta.dirname, '../../resources/sample/sample.joule');

beforeAll(() => {
  process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-sweep-'));
});

describe('joule schedule sweep', () => {
  it('prints the front of the sample project as JSON: both ends, non-dominated, each point a whole placement', async () => {
    const { code, out, err } = await cli('schedule', 'sweep', sampleFile, '--points', '4', '--time-limit', '0.5', '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const front = JSON.parse(out) as ParetoSweepResult;
    expect(front.algorithm).toBe('aco');
    const onFront = front.points.filter((p) => p.onFront);
    expect(onFront.length).toBeGreaterThanOrEqual(2);
    expect(onFront[0].kind).toBe('min-peak');
    expect(onFront.at(-1)!.lambdaRange?.min).toBe(0);
    for (const [a, b] of onFront.slice(1).map((p, t) => [onFront[t], p])) {
      expect(b.peakUtilization).toBeGreaterThan(a.peakUtilization);
      expect(b.energyJ).toBeLessThan(a.energyJ);
    }
    for (const p of front.points) {
      expect(p.feasible).toBe(true);
      expect(p.peakUtilization).toBeLessThanOrEqual(p.peakCap + 1e-9);
      expect(Object.keys(p.assignment)).toHaveLength(12);
    }
  }, 120_000);

  it('prints a table with progress on stderr', async () => {
    const { code, out, err } = await cli('schedule', 'sweep', sampleFile, '--points', '2', '--time-limit', '0.3');
    expect(code).toBe(0);
    expect(out).toMatch(/^front +point +busiest node +cap +energy kJ +lambda J +status/);
    expect(out).toContain('min-peak');
    expect(out).toMatch(/\d+ points? on the front/);
    expect(err).toContain('aco: point 1 of at most 3');
  }, 120_000);

  it('exits 1 with a sentence when no placement is feasible', async () => {
    const problem = {
      schemaVersion: 2,
      periodS: 100,
      lambdaJ: 0,
      nodes: [{ id: 'n', deviceType: 'd', site: 'S', computeMacPerS: 10, memoryMB: 100, idlePowerW: 1 }],
      models: [{ id: 'm', macs: 10, memoryMB: 1, perDevice: { d: { energyJ: 0.01, latencyMs: 1 } } }],
      workloads: [{ id: 'w', model: 'm', ratePerS: 5, sloMs: 100, allowCloud: false }],
    };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-sweep-')), 'overloaded.json');
    writeFileSync(file, JSON.stringify(problem));
    const { code, err } = await cli('schedule', 'sweep', file, '--max-iterations', '2', '--json');
    expect(code).toBe(1);
    expect(err).toMatch(/^joule: The aco found no feasible placement/);
  }, 60_000);

  it('exits 2 on bad usage', async () => {
    expect(await cli('schedule', 'sweep')).toMatchObject({ code: 2, err: "joule: Missing PROBLEM. Run 'joule schedule sweep --help' for usage." });
    expect((await cli('schedule', 'sweep', sampleFile, '--algo', 'greedy')).code).toBe(2);
    expect((await cli('schedule', 'sweep', sampleFile, '--points', '1')).code).toBe(2);
    expect((await cli('schedule', 'sweep', sampleFile, '--points', '51')).code).toBe(2);
  });
});
