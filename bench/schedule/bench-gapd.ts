/**
 * GAP type D alone, the hardest OR-Library family, for tuning the improved ACO's local search:
 * every instance, a few seeds, the gap to the literature's best known value, and the load
 * average before and after each run (the machine is shared; a loaded core slows the search).
 * Every result is re-checked by the independent checker.
 *
 *   node --import tsx bench/schedule/bench-gapd.ts [--seconds 10] [--seeds 1,2] [--algos aco-1t,aco] [--instances 1,5]
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPlacement } from '../../src-main/common/placement/checker';
import { solveAco } from '../../src-main/core/schedule/aco';
import { solveAcoParallel } from '../../src-main/core/schedule/aco-parallel';
import { toAssignment } from '../../src-main/core/schedule/compiled';
import { gapToCompiled, gapToProblem, readGapFile } from '../../src-main/core/schedule/gap';

/** Best known values (Yagiura, Ibaraki & Glover, EJOR 169, 2006, tables), in file order. */
export const dBestKnown = [6353, 12742, 6347, 12430, 6185, 12235];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(arg('--seconds', '10'));
const seeds = arg('--seeds', '1').split(',').map(Number);
const algos = arg('--algos', 'aco-1t').split(',');
const file = await readGapFile(path.join(root, 'tests/fixtures/gap/gapd.txt'));
const picked = arg('--instances', file.instances.map((_, k) => k + 1).join(',')).split(',').map(Number);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`${os.cpus()[0]?.model}, ${os.availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString()}, ${seconds} s per run`);
for (const algo of algos) {
  const gaps: number[] = [];
  for (const k of picked) {
    const g = file.instances[k - 1];
    const cp = gapToCompiled(g, false);
    const problem = gapToProblem(g, false);
    for (const seed of seeds) {
      const before = load();
      const options = { seed, timeLimitMs: seconds * 1000 };
      const r = algo === 'aco' ? await solveAcoParallel(cp, { ...options, threads: 2 }) : solveAco(cp, options);
      const { assignment, variants } = toAssignment(cp, r.assignment, r.option);
      const report = checkPlacement(problem, assignment, variants);
      const gap = (100 * (report.objective - dBestKnown[k - 1])) / dBestKnown[k - 1];
      if (report.feasible) gaps.push(gap);
      console.log(`${algo} D-${k} seed ${seed}: ${report.objective}${report.feasible ? '' : ' INFEASIBLE'} gap ${gap.toFixed(2)}% (${r.iterations} iterations; load ${before} -> ${load()})`);
    }
  }
  console.log(`${algo}: mean gap ${(gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(3)}% over ${gaps.length} runs`);
}
