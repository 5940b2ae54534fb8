/** The placement screen's pure logic: what a problem is built from, the order of runs, the best of them. */
import { placementAlgorithms, type PlacementRunResult } from '../../../src-main/common/api/placement';
import type { PlacementResult, ProjectDocument } from '../../../src-main/common/project/schema';

/** Where the placement on the map comes from: an algorithm's run, the project's accepted placement, or the planner's drags. */
export type MapSource = { kind: 'run'; algo: PlacementRunResult['algo'] } | { kind: 'accepted'; algorithm: string; acceptedAt: string } | { kind: 'edited' };

/**
 * Everything a project's placement problem may be built from, so that a run (and an accepted
 * placement) answers the project as it was: the whole document except what the placement does
 * not read — its own accepted result, the compression runs' history, the project's name and
 * description. Sites, links, power states, hosts and settings a later version reads are in by default.
 */
export function problemInputsKey(doc: ProjectDocument): string {
  const { name: _name, description: _description, compression: _compression, placement, ...rest } = doc;
  const { result: _result, ...settings } = placement;
  return JSON.stringify({ ...rest, placement: settings });
}

/**
 * Whether the map shows the project's accepted placement: `accepted`, or `outdated` when the
 * project changed since the problem it was checked against was built; null for any other placement.
 */
export function acceptedState(source: MapSource | null, accepted: PlacementResult | null, stale: boolean): 'accepted' | 'outdated' | null {
  if (source?.kind !== 'accepted' || !accepted || accepted.acceptedAt !== source.acceptedAt) return null;
  return stale ? 'outdated' : 'accepted';
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
