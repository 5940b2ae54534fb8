/**
 * How fast the 10,000 workloads x 1,000 nodes fleet gets its first feasible plan, with and
 * without locality (workloads from sites, LANs and links: fleet-network.ts): generation and
 * compilation time, the compiled size (classes, options, links), the greedy placement, and the
 * improved ACO's first feasible incumbent in one thread. Every plan is re-checked by the checker.
 *
 *   node --import tsx bench/schedule/bench-first-feasible.ts [--seconds 10] [--seed 1]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPlacement } from '../../src-main/common/placement/checker';
import { DeviceLibrary } from '../../src-main/core/energy/device-library';
import { solveAco } from '../../src-main/core/schedule/aco';
import { compileProblem } from '../../src-main/core/schedule/compile';
import { toAssignment } from '../../src-main/core/schedule/compiled';
import { generateFleet } from '../../src-main/core/schedule/fleet';
import { solveGreedy } from '../../src-main/core/schedule/greedy';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const seconds = option('--seconds', 10);
const seed = option('--seed', 1);

const library = await DeviceLibrary.load(path.join(root, 'resources/devices'));
for (const locality of [false, true]) {
  let t = performance.now();
  const problem = generateFleet(library, { nodes: 1000, workloads: 10_000, seed, locality });
  const generateMs = performance.now() - t;
  t = performance.now();
  const cp = compileProblem(problem);
  const compileMs = performance.now() - t;
  t = performance.now();
  const greedy = solveGreedy(cp, { seed });
  const greedyMs = performance.now() - t;
  const aco = solveAco(cp, { seed, timeLimitMs: seconds * 1000 });
  const checked = (r: typeof aco) => {
    const { assignment, variants } = toAssignment(cp, r.assignment, r.option);
    return checkPlacement(problem, assignment, variants);
  };
  const first = aco.trace[0];
  console.log(
    [
      `${locality ? 'with locality' : 'without locality'}: generated in ${generateMs.toFixed(0)} ms, compiled in ${compileMs.toFixed(0)} ms`,
      `  ${cp.K} classes, ${cp.optCost.length} options, ${cp.L} links`,
      `  greedy: ${greedyMs.toFixed(0)} ms, ${checked(greedy).feasible ? 'feasible' : 'INFEASIBLE'}, objective ${greedy.objective.toFixed(0)}`,
      `  improved ACO (1 thread, ${seconds} s): first feasible at ${first ? `${first[0].toFixed(0)} ms (${first[1].toFixed(0)})` : 'never'}, final ${aco.objective.toFixed(0)} after ${aco.iterations} iterations, checker: ${checked(aco).feasible ? 'feasible' : 'INFEASIBLE'}`,
    ].join('\n'),
  );
}
