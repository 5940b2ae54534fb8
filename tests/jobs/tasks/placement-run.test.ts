/** The convergence trace of a run ends at the objective its results row shows, for every algorithm. */
import { describe, expect, it } from 'vitest';
import { placementAlgorithms, traceEndingAt } from '../../../src-main/common/placement/algorithms';
import { parseProblem } from '../../../src-main/common/placement/problem';
import { silentProgress } from '../../../src-main/core/progress';
import { runPlacement } from '../../../src-main/jobs/tasks/placement-run';
import { tinyProblem } from '../../core/schedule/fixtures';

describe('placement run', () => {
  it.each(placementAlgorithms)('%s: the trace ends at the checked objective', async (algo) => {
    const problem = parseProblem({ ...tinyProblem(), workloads: tinyProblem().workloads.map((w) => ({ ...w, sloMs: 1000 })) });
    const r = await runPlacement({ problem, algo, settings: { timeLimitS: 0.3, seed: 1 } }, silentProgress);
    if (algo === 'rr' || algo === 'random') return; // blind baselines may miss the allowed types
    expect(r.feasible).toBe(true);
    expect(r.trace.length).toBeGreaterThan(0);
    expect(r.trace[r.trace.length - 1][1]).toBeCloseTo(r.objective, 9);
  });

  it('closes a trace that stopped short of the final objective, and leaves others alone', () => {
    expect(traceEndingAt([[5, 120]], 900, 118, true)).toEqual([
      [5, 120],
      [900, 118],
    ]);
    expect(traceEndingAt([[5, 118]], 900, 118, true)).toEqual([[5, 118]]);
    expect(traceEndingAt([], 900, 118, false)).toEqual([]);
    expect(traceEndingAt([], 900, 118, true)).toEqual([[900, 118]]);
  });
});
