/**
 * The network of a generated fleet with locality (fleet.ts): every site has a LAN, consecutive
 * sites are joined in a ring of links, and a workload may be served at its own site or at a
 * neighbour. Capacities are set after the witness assignment: each LAN and link gets at least
 * a base capacity and 1.25 times the traffic the witness puts on it, so the fleet stays feasible
 * while busy sites' links bind.
 */
import type { PlacementLink, PlacementSite } from '../../common/placement/problem';

/** Gigabit Ethernet LAN: a round trip of 1 ms; about 0.01 J/MB for two ports at 0.5 W (Joule estimate). */
const LAN = { mbps: 1000, rttMs: 1, jPerMB: 0.01 };
/** Links between sites (fibre or microwave): 100 Mb/s, 5-20 ms, 0.1 J/MB (Joule estimates). */
const LINK = { mbps: 100, jPerMB: 0.1 };
const HEADROOM = 1.25;

export class FleetNetwork {
  private readonly lanTraffic: Float64Array;
  /** Traffic on the link from site s to site s + 1 (mod S). */
  private readonly ringTraffic: Float64Array;

  constructor(
    readonly siteCount: number,
    private readonly label: (site: number) => string,
  ) {
    this.lanTraffic = new Float64Array(siteCount);
    this.ringTraffic = new Float64Array(siteCount);
  }

  /** The sites that may serve a workload of site s: itself and its ring neighbours. */
  reachable(s: number): number[] {
    const S = this.siteCount;
    if (S === 1) return [s];
    if (S === 2) return [s, 1 - s];
    return [s, (s + 1) % S, (s + S - 1) % S];
  }

  /** Round trips plus serialisation at the base capacities (an upper bound on the final time), ms. */
  transferMs(from: number, to: number, inputMB: number): number {
    const lan = LAN.rttMs + ((inputMB * 8) / LAN.mbps) * 1000;
    return from === to ? lan : 2 * lan + this.rttOf(this.ringIndex(from, to)) + ((inputMB * 8) / LINK.mbps) * 1000;
  }

  /** Records the witness's traffic from site `from` served at site `to`. */
  carry(from: number, to: number, mbps: number): void {
    this.lanTraffic[from] += mbps;
    if (from === to) return;
    this.lanTraffic[to] += mbps;
    this.ringTraffic[this.ringIndex(from, to)] += mbps;
  }

  sites(): PlacementSite[] {
    return Array.from({ length: this.siteCount }, (_, s) => ({ id: this.label(s), lan: { ...LAN, mbps: capacity(LAN.mbps, this.lanTraffic[s]) } }));
  }

  links(): PlacementLink[] {
    const S = this.siteCount;
    const count = S < 2 ? 0 : S === 2 ? 1 : S;
    return Array.from({ length: count }, (_, s) => ({
      id: `link-${s + 1}`,
      a: this.label(s),
      b: this.label((s + 1) % S),
      mbps: capacity(LINK.mbps, this.ringTraffic[s]),
      rttMs: this.rttOf(s),
      jPerMB: LINK.jPerMB,
    }));
  }

  /** The ring link between neighbours a and b: link s joins s and s + 1 (two sites have one link, 0). */
  private ringIndex(a: number, b: number): number {
    const S = this.siteCount;
    if (S === 2) return 0;
    return (a + 1) % S === b ? a : b;
  }

  private rttOf(link: number): number {
    return 5 + 5 * (link % 4);
  }
}

function capacity(base: number, traffic: number): number {
  return Math.max(base, Math.ceil(traffic * HEADROOM));
}
