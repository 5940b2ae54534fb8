/**
 * GAP type D alone, the hardest OR-Library family, for tuning the improved ACO's local search:
 * every instance, a few seeds, the gap to the literature's best known value, and the load
 * average before and after each run (the machine is shared; a loaded core slows the search).
 * Every result is re-checked by the independent checker.
 *
 *   node --import tsx bench/schedule/bench-gapd.ts [--seconds 10] [--seeds 1,2] [--algos aco-1t,aco] [--instances 1,5]
 *     [--cpu]                 one colony stopped after `seconds` of this process's CPU time, not wall
 *                             time: what an unloaded core would give, whatever the load
 *     [--params '{"relinkEvery":0,"ejection":null}']   AcoParams overrides (this one: the ACO
 *                             before path relinking and ejection chains)
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPlacement } from '../../src-main/common/placement/checker';
import { AcoColony, defaultAcoParams, solveAco } from '../../src-main/core/schedule/aco';
import { solveAcoParallel } from '../../src-main/core/schedule/aco-parallel';
import { toAssignment, type CompiledProblem } from '../../src-main/core/schedule/compiled';
import type { SolveResult } from '../../src-main/core/schedule/scheduler';
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
const cpuMode = args.includes('--cpu');
const params = { ...defaultAcoParams, ...(JSON.parse(arg('--params', '{}')) as Partial<typeof defaultAcoParams>) };
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/** One colony in this thread until `seconds` of CPU time have been spent. */
function onCpuBudget(cp: CompiledProblem, seed: number): SolveResult {
  const start = process.cpuUsage();
  const spent = () => {
    const u = process.cpuUsage(start);
    return (u.user + u.system) / 1e6;
  };
  const t = performance.now();
  const colony = new AcoColony(cp, seed, params);
  while (spent() < seconds) colony.step(Infinity);
  return { algorithm: 'aco', assignment: colony.best.node, option: colony.best.opt, objective: colony.bestF, feasible: true, trace: [], ms: performance.now() - t, iterations: colony.iteration };
}

console.log(`${os.cpus()[0]?.model}, ${os.availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString()}, ${seconds} s ${cpuMode ? 'CPU' : 'wall'} per run, params ${arg('--params', 'default')}`);
for (const algo of algos) {
  const gaps: number[] = [];
  for (const k of picked) {
    const g = file.instances[k - 1];
    const cp = gapToCompiled(g, false);
    const problem = gapToProblem(g, false);
    for (const seed of seeds) {
      const before = load();
      const options = { seed, timeLimitMs: seconds * 1000 };
      const r = cpuMode ? onCpuBudget(cp, seed) : algo === 'aco' ? await solveAcoParallel(cp, { ...options, threads: 2 }, params) : solveAco(cp, options, params);
      const { assignment, variants } = toAssignment(cp, r.assignment, r.option);
      const report = checkPlacement(problem, assignment, variants);
      const gap = (100 * (report.objective - dBestKnown[k - 1])) / dBestKnown[k - 1];
      if (report.feasible) gaps.push(gap);
      console.log(`${cpuMode ? 'aco-1t (CPU budget)' : algo} D-${k} seed ${seed}: ${report.objective}${report.feasible ? '' : ' INFEASIBLE'} gap ${gap.toFixed(2)}% (${r.iterations} iterations, ${(r.ms / 1000).toFixed(1)} s wall; load ${before} -> ${load()})`);
    }
  }
  console.log(`${algo}: mean gap ${(gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(3)}% over ${gaps.length} runs`);
}
