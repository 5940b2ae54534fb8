/**
 * The simpler strategies a joint variant-and-placement search is measured against:
 * (a) every workload runs its original model, and (b) every model is compressed once for the
 * whole fleet (each workload runs the one admissible variant that costs least on average over the
 * device types it can run on), then placed. Both are the same problem with fewer choices.
 */
import { variantsOf, type PlacementProblem } from '../../common/placement/problem';

/** Each workload restricted to its own model: the first of its variants. */
export function originalsOnly(problem: PlacementProblem): PlacementProblem {
  return restrict(problem, (choices) => choices[0]);
}

/**
 * Each workload restricted to one variant for every node: the one, among those meeting its
 * accuracy floor, with the least energy per inference averaged over the device types it has
 * figures for (the original when no variant meets the floor).
 */
export function oneVariantEach(problem: PlacementProblem): PlacementProblem {
  const models = new Map(problem.models.map((m) => [m.id, m]));
  const meanEnergy = (id: string) => {
    const figures = Object.values(models.get(id)?.perDevice ?? {});
    return figures.length ? figures.reduce((sum, f) => sum + f.energyJ, 0) / figures.length : Infinity;
  };
  return restrict(problem, (choices, floor) => {
    const admissible = choices.filter((id) => floor === undefined || (models.get(id)?.accuracy ?? -1) >= floor);
    return admissible.length ? admissible.reduce((best, id) => (meanEnergy(id) < meanEnergy(best) ? id : best)) : choices[0];
  });
}

function restrict(problem: PlacementProblem, pick: (choices: string[], accuracyFloor: number | undefined) => string): PlacementProblem {
  const workloads = problem.workloads.map((w) => {
    const { variants: _choices, ...rest } = w;
    return { ...rest, model: pick(variantsOf(w), w.accuracyFloor) };
  });
  const used = new Set(workloads.map((w) => w.model));
  return { ...problem, workloads, models: problem.models.filter((m) => used.has(m.id)) };
}
