import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { reportObjective, toAssignment } from '../../../src-main/core/schedule/compiled';
import { ScheduleError } from '../../../src-main/core/schedule/errors';
import { gapFileMaximizes, gapToCompiled, gapToProblem, parseGapFile, readGapFile } from '../../../src-main/core/schedule/gap';
import { Rng } from '../../../src-main/common/random';
import { gapDir } from './fixtures';

/** Agents x jobs of each file's problems (Beasley's OR-Library descriptions). */
const sizes: Record<string, [number, number]> = {
  gap1: [5, 15], gap2: [5, 20], gap3: [5, 25], gap4: [5, 30], gap5: [8, 24], gap6: [8, 32],
  gap7: [8, 40], gap8: [8, 48], gap9: [10, 30], gap10: [10, 40], gap11: [10, 50], gap12: [10, 60],
};
const abcd: [number, number][] = [[5, 100], [5, 200], [10, 100], [10, 200], [20, 100], [20, 200]];

describe('OR-Library GAP reader', () => {
  for (const [name, [m, n]] of Object.entries(sizes)) {
    it(`reads the 5 problems of ${name} (${m} agents x ${n} jobs, maximise)`, async () => {
      const file = await readGapFile(path.join(gapDir, `${name}.txt`));
      expect(file.maximize).toBe(true);
      expect(file.instances.map((g) => [g.m, g.n])).toEqual(Array(5).fill([m, n]));
    });
  }
  for (const name of ['gapa', 'gapb', 'gapc', 'gapd']) {
    it(`reads the 6 problems of ${name} (minimise)`, async () => {
      const file = await readGapFile(path.join(gapDir, `${name}.txt`));
      expect(file.maximize).toBe(false);
      expect(file.instances.map((g) => [g.m, g.n])).toEqual(abcd);
    });
  }

  it('keeps costs, resources and capacities in file order', async () => {
    const first = (await readGapFile(path.join(gapDir, 'gap1.txt'))).instances[0];
    const numbers = readFileSync(path.join(gapDir, 'gap1.txt'), 'utf8').split(/\s+/).filter(Boolean).map(Number);
    // numbers: P, m, n, then m*n costs, m*n resources, m capacities.
    expect(Array.from(first.cost.slice(0, 3))).toEqual(numbers.slice(3, 6));
    expect(first.weight[0]).toBe(numbers[3 + 75]);
    expect(Array.from(first.capacity)).toEqual(numbers.slice(3 + 150, 3 + 155));
  });

  it('rejects truncated files and stray text with the position', () => {
    expect(() => parseGapFile('1\n2 2\n1 2 3', 'bad.txt')).toThrow(ScheduleError);
    expect(() => parseGapFile('1\n2 2\n1 2 3', 'bad.txt')).toThrow(/ends early/);
    expect(() => parseGapFile('1\n1 1\n5 x 9', 'bad.txt')).toThrow(/number 5 \(resource 1 of problem 1\) is not a number\.$/);
    // The message names the position, never the file's text.
    expect(() => parseGapFile('1\n1 1\n5 root:x:0 9', 'bad.txt')).not.toThrow(/root/);
    expect(() => parseGapFile('1\n1 1\n5 3 9 7', 'bad.txt')).toThrow(/1 numbers after/);
  });

  // Issue 14: a header of 100000 x 100000 threw a raw "Invalid typed array length".
  it('refuses a declared size above the limits, and one the file cannot fill, before allocating', () => {
    expect(() => parseGapFile('1\n100000 100000\n1 2 3', 'huge.txt')).toThrow(
      'GAP file huge.txt: problem 1 declares 100000 agents x 100000 jobs; the limits are 10,000 agents, 100,000 jobs and 10,000,000 agent-job pairs (docs/limits.md).',
    );
    expect(() => parseGapFile('1\n1000 1000\n1 2 3', 'short.txt')).toThrow('GAP file short.txt ends early: problem 1 declares 1000 agents x 1000 jobs (2001000 numbers), but only 3 numbers follow.');
  });

  it('tells the sense from the file name', () => {
    expect(gapFileMaximizes('/x/gap12.txt')).toBe(true);
    expect(gapFileMaximizes('gapd.txt')).toBe(false);
  });

  it('compiles to the dense form whose cost the checker reproduces, in both senses', async () => {
    for (const name of ['gap3', 'gapb']) {
      const file = await readGapFile(path.join(gapDir, `${name}.txt`));
      const g = file.instances[1];
      const cp = gapToCompiled(g, file.maximize);
      const problem = gapToProblem(g, file.maximize);
      expect([cp.n, cp.m, cp.K, cp.R, cp.lambda]).toEqual([g.n, g.m, g.m, 1, 0]);
      const rng = new Rng(3);
      const node = new Int32Array(g.n);
      const opt = new Int32Array(g.n);
      let direct = 0;
      for (let j = 0; j < g.n; j++) {
        // A random admissible agent for each job.
        const options: number[] = [];
        for (let i = 0; i < g.m; i++) if (cp.optStart[j * g.m + i + 1] > cp.optStart[j * g.m + i]) options.push(i);
        node[j] = options[rng.int(options.length)];
        opt[j] = cp.optStart[j * g.m + node[j]];
        direct += g.cost[node[j] * g.n + j];
      }
      const { assignment, variants } = toAssignment(cp, node, opt);
      const report = checkPlacement(problem, assignment, variants);
      expect(reportObjective(cp, report.objective)).toBeCloseTo(direct, 9);
    }
  });
});
