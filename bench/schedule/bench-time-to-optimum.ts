/**
 * Time to the proven optimum on the GAP files where several algorithms reach it (types A and B):
 * at equal final quality, the faster one is better. Single-threaded improved ACO (`aco-1t`)
 * against the genetic algorithm and the basic Ant System, several seeds, a run stopping as soon
 * as it holds an optimal assignment (or at the time limit). Writes docs/bench-schedule-speed.md.
 *
 *   node --import tsx bench/schedule/bench-time-to-optimum.ts [--seeds 5] [--limit 10]
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPlacement } from '../../src-main/common/placement/checker';
import { solveAco } from '../../src-main/core/schedule/aco';
import { solveAntSystem } from '../../src-main/core/schedule/ant-system';
import { toAssignment } from '../../src-main/core/schedule/compiled';
import { solveGa } from '../../src-main/core/schedule/ga';
import { gapToCompiled, gapToProblem, readGapFile } from '../../src-main/core/schedule/gap';
import type { SolveOptions, SolveResult } from '../../src-main/core/schedule/scheduler';
import type { CompiledProblem } from '../../src-main/core/schedule/compiled';
import type { PlacementProblem } from '../../src-main/common/placement/problem';
import { provenOptima } from './gap-optima';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const seeds = option('--seeds', 5);
const limitS = option('--limit', 10);

/** The GAP types where the search algorithms end at the same value, or nearly. */
const families = ['gapa', 'gapb'];
const solvers: Record<string, (cp: CompiledProblem, o: SolveOptions) => SolveResult> = {
  'aco-1t': solveAco,
  ga: solveGa,
  as: solveAntSystem,
};

interface Outcome {
  /** Milliseconds until the first optimal assignment, or null when the limit came first. */
  ms: number | null;
}

async function timeToOptimum(solve: (cp: CompiledProblem, o: SolveOptions) => SolveResult, cp: CompiledProblem, problem: PlacementProblem, optimum: number, seed: number): Promise<Outcome> {
  let reached: number | null = null;
  const started = performance.now();
  const result = solve(cp, {
    seed,
    timeLimitMs: limitS * 1000,
    progressEveryMs: 1,
    onProgress: (e) => {
      if (reached === null && e.feasible && e.bestObjective !== null && e.bestObjective <= optimum + 1e-9) reached = performance.now() - started;
    },
    shouldStop: () => reached !== null,
  });
  const optimal = result.feasible && result.objective <= optimum + 1e-9;
  // An optimum claimed by a solver counts only when the independent checker agrees.
  const report = checkPlacement(problem, toAssignment(cp, result.assignment, result.option).assignment);
  if (optimal && (!report.feasible || Math.abs((cp.maximize ? cp.offset - report.objective : report.objective) - optimum) > 1e-6)) throw new Error(`The checker rejects an optimum claimed by seed ${seed}.`);
  return { ms: optimal ? (reached ?? result.ms) : null };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

const lines: string[] = [];
const verdictLines: string[] = [];
const startedAll = Date.now();
const loadAtStart = os.loadavg()[0];
for (const family of families) {
  const file = await readGapFile(path.join(root, 'tests/fixtures/gap', `${family}.txt`));
  const rows: string[] = [];
  const perAlgo: Record<string, number[]> = {};
  const misses: Record<string, number> = {};
  for (let k = 0; k < file.instances.length; k++) {
    const g = file.instances[k];
    const cp = gapToCompiled(g, file.maximize);
    const problem = gapToProblem(g, file.maximize);
    const cells: string[] = [];
    for (const [algo, solve] of Object.entries(solvers)) {
      const times: number[] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        const outcome = await timeToOptimum(solve, cp, problem, provenOptima[family][k], seed);
        if (outcome.ms === null) misses[algo] = (misses[algo] ?? 0) + 1;
        else times.push(outcome.ms);
      }
      (perAlgo[algo] ??= []).push(...times);
      cells.push(times.length ? `${(median(times) / 1000).toFixed(3)} s (${times.length}/${seeds})` : `not reached (0/${seeds})`);
      console.log(`${family}-${k + 1} ${algo}: ${cells[cells.length - 1]}`);
    }
    rows.push(`| ${family.slice(3).toUpperCase()}-${k + 1} | ${provenOptima[family][k]} | ${cells.join(' | ')} |`);
  }
  lines.push(`## GAP type ${family.slice(3).toUpperCase()}`, '');
  lines.push(`| instance | optimum | ${Object.keys(solvers).join(' | ')} |`, `|---|---:|${Object.keys(solvers).map(() => '---:').join('|')}|`, ...rows);
  const reachedBy = (a: string) => perAlgo[a]?.length ?? 0;
  const others = Object.keys(solvers).filter((a) => a !== 'aco-1t');
  const verdicts = others.map((a) => {
    if (reachedBy('aco-1t') !== reachedBy(a)) return `${reachedBy('aco-1t') > reachedBy(a) ? 'beats' : 'loses to'} ${a} (optimum in ${reachedBy('aco-1t')} runs against ${reachedBy(a)})`;
    const [mine, theirs] = [median(perAlgo['aco-1t'] ?? []), median(perAlgo[a] ?? [])];
    return `${mine < theirs ? 'beats' : 'loses to'} ${a} on median time (${mine.toFixed(0)} ms against ${theirs.toFixed(0)} ms, both reaching it in ${reachedBy(a)} runs)`;
  });
  verdictLines.push(`- Type ${family.slice(3).toUpperCase()}: the improved ACO ${verdicts.join('; ')}.`);
  lines.push(
    `| **median over all runs** | | ${Object.keys(solvers)
      .map((a) => `${perAlgo[a]?.length ? `${(median(perAlgo[a]) / 1000).toFixed(3)} s` : 'n/a'}, ${misses[a] ?? 0} not reached`)
      .join(' | ')} |`,
    '',
  );
}

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const header = [
  '# Placement benchmark: time to the optimum',
  '',
  `Generated by \`bench/schedule/bench-time-to-optimum.ts\` on ${new Date().toISOString().slice(0, 10)}: ${cpu}, ${os.cpus().length} cores, Node ${process.version}; ${((Date.now() - startedAll) / 60000).toFixed(1)} min in all.`,
  '',
  `On the GAP files where the search algorithms end at the same value, the comparison at equal time (docs/bench-schedule.md) is a tie. This one measures how long each takes to hold a proven-optimal assignment: every algorithm single-threaded, seeds 1-${seeds}, a run stops when its best equals the optimum or after ${limitS} s. Cells: median time over the seeds that reached it (how many did). Times include each solver's set-up; runs are sequential (load average ${loadAtStart.toFixed(2)} at the start).`,
  '',
];
writeFileSync(path.join(root, 'docs/bench-schedule-speed.md'), `${[...header, '## Verdict', '', ...verdictLines, '', ...lines].join('\n')}\n`);
console.log('wrote docs/bench-schedule-speed.md');
