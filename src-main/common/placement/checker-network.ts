/**
 * The network as the checker sees it, straight from the problem file: the path of a workload's
 * inputs from its site to a node's site (its site's LAN; or its site's LAN, the link between the
 * two sites and the other site's LAN), and the traffic and energy on each LAN and link.
 * Written apart from the solvers' compiled form (core/schedule/network.ts) on purpose.
 */
import type { PlacementProblem } from './problem';
import type { HopReport, Violation } from './report';

/** A described LAN or link that inputs cross. */
export interface Hop {
  id: string;
  kind: 'lan' | 'link';
  sites: string[];
  mbps?: number;
  rttMs: number;
  jPerMB: number;
}

interface Traffic {
  mbps: number;
  energyJ: number;
  workloadIds: string[];
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export class NetworkMap {
  private readonly lans = new Map<string, Hop>();
  private readonly links = new Map<string, Hop>();
  private readonly traffic = new Map<Hop, Traffic>();

  constructor(problem: Pick<PlacementProblem, 'sites' | 'links'>) {
    for (const site of problem.sites) {
      if (site.lan) this.lans.set(site.id, { id: `lan:${site.id}`, kind: 'lan', sites: [site.id], ...site.lan });
    }
    for (const link of problem.links) {
      this.links.set(pairKey(link.a, link.b), { id: link.id, kind: 'link', sites: [link.a, link.b], mbps: link.mbps, rttMs: link.rttMs, jPerMB: link.jPerMB });
    }
    for (const hop of [...this.lans.values(), ...this.links.values()]) this.traffic.set(hop, { mbps: 0, energyJ: 0, workloadIds: [] });
  }

  /** The hops from site `from` to site `to` (a LAN nobody described is free and left out); null when no link joins them. */
  path(from: string, to: string): Hop[] | null {
    const lan = (site: string) => this.lans.get(site);
    if (from === to) return [lan(from)].filter((h): h is Hop => h !== undefined);
    const link = this.links.get(pairKey(from, to));
    if (!link) return null;
    return [lan(from), link, lan(to)].filter((h): h is Hop => h !== undefined);
  }

  carry(hop: Hop, mbps: number, energyJ: number, workloadId: string): void {
    const t = this.traffic.get(hop)!;
    t.mbps += mbps;
    t.energyJ += energyJ;
    t.workloadIds.push(workloadId);
  }

  overloads(fmt: (x: number) => string): Violation[] {
    const out: Violation[] = [];
    for (const [hop, t] of this.traffic) {
      if (hop.mbps === undefined || !(t.mbps > hop.mbps * (1 + 1e-9) + 1e-9)) continue;
      out.push({
        hopId: hop.id,
        constraint: 'network',
        message: `${capitalised(describeHop(hop))} carries ${fmt(t.mbps)} Mb/s of inputs but has ${fmt(hop.mbps)} Mb/s.`,
        figures: { value: t.mbps, limit: hop.mbps },
      });
    }
    return out;
  }

  reports(): HopReport[] {
    return [...this.traffic].map(([hop, t]) => ({ hopId: hop.id, kind: hop.kind, sites: hop.sites, mbps: t.mbps, capacityMbps: hop.mbps ?? null, workloadIds: t.workloadIds, energyJ: t.energyJ }));
  }
}

function describeHop(hop: Hop): string {
  return hop.kind === 'lan' ? `the LAN of site "${hop.sites[0]}"` : `link "${hop.id}" between sites "${hop.sites[0]}" and "${hop.sites[1]}"`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `the LAN of site "a", link "ab" and the LAN of site "b"` */
export function describeHops(hops: Hop[]): string {
  const parts = hops.map((h) => (h.kind === 'lan' ? `the LAN of site "${h.sites[0]}"` : `link "${h.id}"`));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts.join('');
}
