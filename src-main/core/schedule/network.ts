/**
 * The network of a problem in the solvers' terms: sites by index, the capacity-limited links
 * (LANs and links between sites that state a capacity) by index, and the path of a workload's
 * inputs from its site to a node's site: the source site's LAN, and for another site the link
 * joining the two and the serving site's LAN. No multi-hop routing: two sites without a direct
 * link cannot serve each other's workloads.
 *
 * @example
 * const net = compileNetwork(problem);
 * const path = net.path(net.siteIndex.get('harbour')!, net.siteIndex.get('warehouse')!);
 * const ms = path ? path.rttMs + 0.6 * path.msPerMB : Infinity; // round trips + 0.6 MB serialised per hop
 */
import type { PlacementProblem } from '../../common/placement/problem';

export interface CompiledPath {
  /** Indices of the capacity-limited links the inputs cross. */
  links: Int32Array;
  /** Sum of the hops' round trips, ms. */
  rttMs: number;
  /** Sum of the hops' energy per MB, J/MB. */
  jPerMB: number;
  /** Serialisation time of one MB summed over the hops with a stated capacity (store and forward), ms/MB. */
  msPerMB: number;
}

export interface CompiledNetwork {
  siteIndex: Map<string, number>;
  L: number;
  linkCap: Float64Array;
  linkNames: string[];
  /** The path from site `from` to site `to` (indices), null when no link joins them. */
  path(from: number, to: number): CompiledPath | null;
}

const NO_TRANSFER: CompiledPath = { links: new Int32Array(0), rttMs: 0, jPerMB: 0, msPerMB: 0 };

/** The path of a workload that has no source site: its inputs are where it is served. */
export function noTransfer(): CompiledPath {
  return NO_TRANSFER;
}

interface Hop {
  link: number;
  mbps?: number;
  rttMs: number;
  jPerMB: number;
}

export function compileNetwork(problem: Pick<PlacementProblem, 'sites' | 'links' | 'nodes' | 'workloads'>): CompiledNetwork {
  const siteIndex = new Map<string, number>();
  const addSite = (id: string) => siteIndex.has(id) || siteIndex.set(id, siteIndex.size);
  problem.sites.forEach((s) => addSite(s.id));
  problem.nodes.forEach((n) => addSite(n.site));
  problem.workloads.forEach((w) => w.site !== undefined && addSite(w.site));
  const S = siteIndex.size;
  const linkCap: number[] = [];
  const linkNames: string[] = [];
  const hop = (name: string, h: { mbps?: number; rttMs: number; jPerMB: number }): Hop => {
    let link = -1;
    if (h.mbps !== undefined) {
      link = linkCap.length;
      linkCap.push(h.mbps);
      linkNames.push(name);
    }
    return { link, mbps: h.mbps, rttMs: h.rttMs, jPerMB: h.jPerMB };
  };
  const lan: (Hop | null)[] = new Array<Hop | null>(S).fill(null);
  for (const site of problem.sites) if (site.lan) lan[siteIndex.get(site.id)!] = hop(`LAN of site "${site.id}"`, site.lan);
  const between = new Map<number, Hop>();
  for (const l of problem.links) {
    const a = siteIndex.get(l.a)!;
    const b = siteIndex.get(l.b)!;
    const h = hop(`link "${l.id}"`, l);
    between.set(a * S + b, h);
    between.set(b * S + a, h);
  }
  const cache = new Map<number, CompiledPath | null>();
  const build = (hops: (Hop | null)[]): CompiledPath => {
    const present = hops.filter((h): h is Hop => h !== null);
    return {
      links: Int32Array.from(present.filter((h) => h.link >= 0).map((h) => h.link)),
      rttMs: present.reduce((sum, h) => sum + h.rttMs, 0),
      jPerMB: present.reduce((sum, h) => sum + h.jPerMB, 0),
      msPerMB: present.reduce((sum, h) => sum + (h.mbps === undefined ? 0 : (8 / h.mbps) * 1000), 0),
    };
  };
  return {
    siteIndex,
    L: linkCap.length,
    linkCap: Float64Array.from(linkCap),
    linkNames,
    path(from, to) {
      const key = from * S + to;
      let p = cache.get(key);
      if (p === undefined) {
        const link = between.get(key);
        p = from === to ? build([lan[from]]) : link ? build([lan[from], link, lan[to]]) : null;
        cache.set(key, p);
      }
      return p;
    },
  };
}
