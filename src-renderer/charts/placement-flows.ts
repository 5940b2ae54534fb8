/**
 * The transfers a placement causes between sites: a workload whose inputs come from site S and
 * which is served at site T != S (or in the cloud) sends `ratePerS x inputMB x 8` Mb/s from S to T.
 */
import type { Assignment, HopReport, VariantChoice } from '../../src-main/common/placement/report';
import { variantsOf, type PlacementProblem } from '../../src-main/common/placement/problem';

export interface SiteFlow {
  from: string;
  to: string;
  /** Inputs sent from `from` to `to`, Mb/s. */
  mbps: number;
  workloadIds: string[];
  /** The link between the two sites (absent for the cloud): its id, its traffic both ways and its capacity (null: none stated). */
  link?: { id: string; mbps: number; capacityMbps: number | null };
  toCloud: boolean;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Flows between different sites, largest first. Workloads without a site, served at their site,
 * or placed where no link reaches (a violation the checker names) make none.
 *
 * @example siteFlows(problem, { 'w-gate-1': 'dev-5#1' }, {}, report.hops)
 * // [{ from: 'Harbour gate', to: 'Warehouse 3', mbps: 28.9, workloadIds: ['w-gate-1'], link: {...}, toCloud: false }]
 */
export function siteFlows(problem: PlacementProblem, assignment: Assignment, variants: VariantChoice, hops: readonly HopReport[]): SiteFlow[] {
  const siteOf = new Map(problem.nodes.map((n) => [n.id, n.site]));
  const models = new Map(problem.models.map((m) => [m.id, m]));
  const links = new Map(problem.links.map((l) => [pairKey(l.a, l.b), l]));
  const traffic = new Map(hops.map((h) => [h.hopId, h]));
  const flows = new Map<string, SiteFlow>();
  for (const w of problem.workloads) {
    const nodeId = assignment[w.id];
    if (w.site === undefined || nodeId === undefined) continue;
    const toCloud = nodeId === problem.cloud?.id;
    const to = toCloud ? problem.cloud!.site : siteOf.get(nodeId);
    if (to === undefined || to === w.site) continue;
    const link = toCloud ? undefined : links.get(pairKey(w.site, to));
    if (!toCloud && !link) continue;
    const model = models.get(variants[w.id] ?? variantsOf(w)[0]);
    if (!model) continue;
    const key = `${w.site}\u0000${to}`;
    let flow = flows.get(key);
    if (!flow) {
      const hop = link ? traffic.get(link.id) : undefined;
      flow = { from: w.site, to, mbps: 0, workloadIds: [], toCloud, ...(link ? { link: { id: link.id, mbps: hop?.mbps ?? 0, capacityMbps: link.mbps ?? null } } : {}) };
      flows.set(key, flow);
    }
    flow.mbps += w.ratePerS * model.inputMB * 8;
    flow.workloadIds.push(w.id);
  }
  return [...flows.values()].sort((a, b) => b.mbps - a.mbps);
}
