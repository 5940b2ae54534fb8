/**
 * Link capacities inside the penalised searches (tabu.ts, local-search.ts): the weighted
 * relative excess on the links a move touches. A move takes one or two options off their links
 * and puts one or two on; each path crosses at most three links, so a move touches at most
 * twelve, and the change is summed over those alone.
 *
 * @example
 * const d = links.delta(state, oldOpt, -1, newOpt, -1); // penalty change of a shift
 * if (links.hurt) ...                                    // a touched link ends over capacity
 */
import type { CompiledProblem } from './compiled';
import type { PlacementState } from './state';

const TOL = 1e-9;

export class LinkPenalty {
  /** Penalty weight per link, in cost units per unit of relative excess. */
  readonly weight: Float64Array;
  /** Set by `delta`: a touched link ends over capacity. */
  hurt = false;
  /** Set by `delta`: touched links that were over capacity before the move. */
  touchedViolated = 0;
  private readonly change: Float64Array;
  private readonly touched = new Int32Array(12);
  private nTouched = 0;

  /** `weight`: share another search's link weights (ejection chains judging by a tabu search's penalties). */
  constructor(
    readonly cp: CompiledProblem,
    weight?: Float64Array,
  ) {
    this.weight = weight ?? new Float64Array(cp.L);
    this.change = new Float64Array(cp.L);
  }

  /** Weighted excess change when options `out1`, `out2` leave their links and `in1`, `in2` arrive (-1: none). */
  delta(s: PlacementState, out1: number, out2: number, in1: number, in2: number): number {
    this.hurt = false;
    this.touchedViolated = 0;
    if (this.cp.L === 0) return 0;
    this.nTouched = 0;
    this.collect(out1, -1);
    this.collect(out2, -1);
    this.collect(in1, 1);
    this.collect(in2, 1);
    const { linkCap } = this.cp;
    let d = 0;
    for (let t = 0; t < this.nTouched; t++) {
      const l = this.touched[t];
      const c = linkCap[l];
      const before = s.linkLoad[l];
      const after = before + this.change[l];
      this.change[l] = 0;
      const limit = c * (1 + TOL) + TOL;
      const eb = before > limit ? before - c : 0;
      const ea = after > limit ? after - c : 0;
      if (eb > 0) this.touchedViolated++;
      if (ea > 0) this.hurt = true;
      if (ea !== eb) d += this.weight[l] * (ea - eb) * s.linkInv[l];
    }
    return d;
  }

  private collect(o: number, sign: number): void {
    if (o < 0) return;
    const { optLinkStart, optLinks, optMbps } = this.cp;
    for (let t = optLinkStart[o]; t < optLinkStart[o + 1]; t++) {
      const l = optLinks[t];
      if (this.change[l] === 0 && !this.isTouched(l)) this.touched[this.nTouched++] = l;
      this.change[l] += sign * optMbps[o];
    }
  }

  private isTouched(l: number): boolean {
    for (let t = 0; t < this.nTouched; t++) if (this.touched[t] === l) return true;
    return false;
  }

  /** Weighted excess on the links of option o now: the most that taking o off can save. */
  onPath(s: PlacementState, o: number): number {
    const { optLinkStart, optLinks } = this.cp;
    let p = 0;
    for (let t = optLinkStart[o]; t < optLinkStart[o + 1]; t++) {
      const l = optLinks[t];
      p += this.weight[l] * s.linkExcess(l);
    }
    return p;
  }

  /** Links over capacity now. */
  violated(s: PlacementState): number {
    let count = 0;
    for (let l = 0; l < this.cp.L; l++) if (s.linkExcess(l) > 0) count++;
    return count;
  }
}
