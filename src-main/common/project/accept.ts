/** A placement as the project records it when the planner accepts it. */
import type { PlacementResult, ProjectDocument } from './schema';

export interface AcceptedFigures {
  objective: number;
  energyJ: number;
  imbalance: number;
  feasible: boolean;
  /** Node id per workload id. */
  assignment: Record<string, string>;
  /** Model per workload id; only the workloads that run a compressed variant are recorded. */
  variants: Record<string, string>;
}

export function placementResultOf(document: ProjectDocument, algorithm: string, figures: AcceptedFigures, acceptedAt: string): PlacementResult {
  const own = new Map(document.workloads.map((w) => [w.id, w.modelId]));
  const compressed = Object.fromEntries(Object.entries(figures.variants).filter(([w, m]) => own.has(w) && own.get(w) !== m));
  return {
    algorithm,
    objective: figures.objective,
    energyJ: figures.energyJ,
    imbalance: figures.imbalance,
    feasible: figures.feasible,
    acceptedAt,
    assignment: { ...figures.assignment },
    ...(Object.keys(compressed).length ? { variants: compressed } : {}),
  };
}
