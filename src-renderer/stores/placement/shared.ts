/** The placement screen's pure logic: what a problem is built from, the order of runs, the best of them. */
import { placementAlgorithms, type PlacementRunResult } from '../../../src-main/common/api/placement';
import type { ProjectDocument } from '../../../src-main/common/project/schema';

/** Where the placement on the map comes from: an algorithm's run, the project's accepted placement, or the planner's drags. */
export type MapSource = { kind: 'run'; algo: PlacementRunResult['algo'] } | { kind: 'accepted'; algorithm: string } | { kind: 'edited' };

/** Everything a project's placement problem is built from; a run answers the project as it was when it started. */
export function problemInputsKey(doc: ProjectDocument): string {
  const { devices, models, workloads, placement } = doc;
  return JSON.stringify({ devices, models, workloads, periodS: placement.periodS, lambdaJ: placement.lambdaJ, cloud: placement.cloud ?? null });
}

/** Runs in the order the algorithms are listed, whatever order they finished in. */
export function inAlgorithmOrder(runs: readonly PlacementRunResult[]): PlacementRunResult[] {
  return [...runs].sort((a, b) => placementAlgorithms.indexOf(a.algo) - placementAlgorithms.indexOf(b.algo));
}

/** The feasible run with the lowest objective, if any. */
export function bestRun(runs: readonly PlacementRunResult[]): PlacementRunResult | null {
  return runs.filter((r) => r.feasible).reduce<PlacementRunResult | null>((best, r) => (best === null || r.objective < best.objective ? r : best), null);
}

/** The algorithm name an accepted placement records. */
export function algorithmOf(source: MapSource): string {
  return source.kind === 'run' ? source.algo : source.kind === 'accepted' ? source.algorithm : 'edited';
}
