/**
 * Loop tiling of a convolution-like layer (Conv, Gemm, MatMul) and the memory accesses it
 * implies at each level, after the Eyeriss analysis framework (Chen et al., ISCA 2016): for
 * weights and inputs, a*DRAM + ab*buffer + abc*array + abcd*RF; for partial sums,
 * (2a-1)*DRAM + 2a(b-1)*buffer + ab(c-1)*array + 2abc(d-1)*RF, where a, b, c, d are the
 * accesses (reuse) at each level.
 *
 * Two searches, each over a small candidate grid:
 * 1. Buffer level (DRAM <-> global buffer): tile sizes for output channels, input channels and
 *    output rows x columns whose working set fits the buffer, and a loop order. A tensor's tile
 *    is fetched again each time a loop it does not depend on iterates outside the innermost
 *    non-trivial loop it does depend on. Keeps the tiling with the least DRAM traffic.
 * 2. PE level (buffer -> array -> register file): parallel factors over output channels (an
 *    input read is multicast to them), input channels (partial sums reduced over the array) and
 *    output rows (a weight read is multicast to them), and a per-PE tile that fits one register
 *    file, which may split the kernel's rows. Keeps the cheapest in buffer + array + RF energy.
 * The searches are decoupled (the PE level tiles the whole layer, not each buffer tile), which
 * ignores reuse lost at buffer-tile edges; traffic is monotone in each tile size, so for each
 * channel tile only the largest spatial tile that fits is tried.
 */

/** One group of a convolution-like layer; every group has the same shape. */
export interface ConvWorkload {
  groups: number;
  /** Output channels per group. */
  m: number;
  /** Input channels per group (times any kernel dims beyond two). */
  c: number;
  /** Output rows (batch x height) and columns. */
  rows: number;
  cols: number;
  /** Kernel height and width. */
  r: number;
  s: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  /** Input rows (batch x height) and columns. */
  inRows: number;
  inCols: number;
  /** Bias elements per group (read once with the weights). */
  bias: number;
}

/** Element accesses of one tensor at each level, summed over the whole layer. */
export interface LevelAccesses {
  dram: number;
  buffer: number;
  array: number;
  rf: number;
}

export type LoopOrder = 'mcs' | 'msc' | 'cms' | 'csm' | 'smc' | 'scm';

export interface TilingChoice {
  /** Buffer tile: output channels, input channels, output rows, output columns; order outer to inner. */
  buffer: { m: number; c: number; rows: number; cols: number; order: LoopOrder };
  /** Per-PE tile (kernel rows `r`) and parallel factors over m, c and rows. */
  pe: { m: number; c: number; r: number; rows: number; cols: number; order: LoopOrder; parallel: [number, number, number] };
  /** False when even the smallest tile overflows the buffer (traffic is then a lower bound). */
  fits: boolean;
}

export interface ConvAccesses {
  weights: LevelAccesses;
  inputs: LevelAccesses;
  outputs: LevelAccesses;
  tiling: TilingChoice;
}

/** Capacities in elements and per-element energies of the levels below DRAM. */
export interface TilingHardware {
  bufferElements: number;
  rfElements: number;
  peCount: number;
  bufferCost: number;
  arrayCost: number;
  rfCost: number;
}

/** Loop groups: output channels, input channels (with kernel rows), output positions. */
type LoopGroup = 'm' | 'c' | 's';
/** A loop order, outer to inner, with `inner` innermost (only the innermost non-trivial loop matters). */
const ORDER_WITH_INNER: Record<LoopGroup, LoopOrder> = { m: 'csm', c: 'smc', s: 'mcs' };

/** Tile sizes ceil(d / 2^k), ascending: they nest when d doubles, so searches stay monotone. */
export function tileCandidates(d: number): number[] {
  const out: number[] = [];
  for (let t = 1; ; t *= 2) {
    const size = Math.ceil(d / t);
    if (out[out.length - 1] !== size) out.push(size);
    if (size === 1) break;
  }
  return out.reverse();
}

/**
 * What a loop order decides is only which non-trivial loop is innermost: a tensor is fetched
 * again per iteration of the loop it ignores (weights ignore positions, inputs ignore output
 * channels, outputs ignore input channels) unless that loop is the innermost one. Returns the
 * candidate innermost groups for trip counts (m, c, s): those with more than one trip, or 's'
 * alone when every loop is trivial.
 */
function innerChoices(tm: number, tc: number, ts: number): readonly LoopGroup[] {
  return INNER_CHOICES[(tm > 1 ? 1 : 0) | (tc > 1 ? 2 : 0) | (ts > 1 ? 4 : 0)];
}

/** innerChoices by bit mask (m = 1, c = 2, s = 4), precomputed: the searches call it a lot. */
const INNER_CHOICES: readonly (readonly LoopGroup[])[] = Array.from({ length: 8 }, (_, mask) => {
  const out: LoopGroup[] = (['m', 'c', 's'] as const).filter((_g, i) => (mask >> i) & 1);
  return out.length > 0 ? out : ['s'];
});

/** Input rows (or columns) a tile of `out` outputs touches, clipped to the input. */
function span(out: number, stride: number, kernel: number, dilation: number, input: number): number {
  return Math.min(input, (out - 1) * stride + (kernel - 1) * dilation + 1);
}

/** Spatial tiles, largest first: rows shrink with full columns, then columns of one row. */
function spatialTiles(rows: number, cols: number): [number, number][] {
  const tiles: [number, number][] = tileCandidates(rows).reverse().map((p) => [p, cols]);
  for (const q of tileCandidates(cols).reverse()) if (q !== cols) tiles.push([1, q]);
  return tiles;
}

interface BufferResult {
  dram: { w: number; i: number; o: number };
  visitsO: number;
  choice: TilingChoice['buffer'];
  fits: boolean;
}

function searchBuffer(w: ConvWorkload, capacity: number): BufferResult {
  const sizeW = w.m * w.c * w.r * w.s;
  const sizeO = w.m * w.rows * w.cols;
  const spatial = spatialTiles(w.rows, w.cols);
  const found: { best: BufferResult | null; traffic: number } = { best: null, traffic: Infinity };
  const consider = (mt: number, ct: number, pt: number, qt: number, fits: boolean) => {
    const tm = Math.ceil(w.m / mt);
    const tc = Math.ceil(w.c / ct);
    const tp = Math.ceil(w.rows / pt);
    const tq = Math.ceil(w.cols / qt);
    const ts = tp * tq;
    const sumI = w.c * tp * span(pt, w.strideH, w.r, w.dilationH, w.inRows) * tq * span(qt, w.strideW, w.s, w.dilationW, w.inCols);
    for (const inner of innerChoices(tm, tc, ts)) {
      const dw = sizeW * (inner === 's' ? 1 : ts) + w.bias;
      const di = sumI * (inner === 'm' ? 1 : tm);
      const ro = inner === 'c' ? 1 : tc;
      const dout = (2 * ro - 1) * sizeO;
      const traffic = dw + di + dout;
      if (traffic < found.traffic) {
        found.traffic = traffic;
        found.best = { dram: { w: dw, i: di, o: dout }, visitsO: ro, choice: { m: mt, c: ct, rows: pt, cols: qt, order: ORDER_WITH_INNER[inner] }, fits };
      }
    }
  };
  const mCands = tileCandidates(w.m);
  const cCands = tileCandidates(w.c);
  const inputTile = spatial.map(([pt, qt]) => span(pt, w.strideH, w.r, w.dilationH, w.inRows) * span(qt, w.strideW, w.s, w.dilationW, w.inCols));
  for (const ct of cCands) {
    for (const mt of mCands) {
      const room = capacity - mt * ct * w.r * w.s;
      let placed = false;
      for (let j = 0; j < spatial.length; j++) {
        const [pt, qt] = spatial[j];
        if (ct * inputTile[j] + mt * pt * qt <= room) {
          consider(mt, ct, pt, qt, true);
          placed = true;
          break;
        }
      }
      // Larger output-channel tiles only need more room.
      if (!placed) break;
    }
  }
  if (!found.best) consider(1, 1, 1, 1, false);
  return found.best as BufferResult;
}

interface PeResult {
  weights: LevelAccesses;
  inputs: LevelAccesses;
  outputs: LevelAccesses;
  choice: TilingChoice['pe'];
}

function parallelConfigs(w: ConvWorkload, peCount: number): [number, number, number][] {
  if (peCount <= 1) return [[1, 1, 1]];
  const configs: [number, number, number][] = [];
  for (let pm = 1; pm <= Math.min(w.m, peCount); pm *= 2) {
    for (let pc = 1; pc <= Math.min(w.c, Math.floor(peCount / pm)); pc *= 2) {
      configs.push([pm, pc, Math.max(1, Math.min(w.rows, Math.floor(peCount / (pm * pc))))]);
    }
  }
  return configs;
}

function searchPe(w: ConvWorkload, hw: TilingHardware, dram: BufferResult['dram'], visitsO: number): PeResult {
  const sizeW = w.m * w.c * w.r * w.s;
  const sizeO = w.m * w.rows * w.cols;
  const accumulations = w.c * w.r * w.s;
  const macs = sizeO * accumulations;
  // The cheapest so far, as scalars: objects are built once at the end.
  let bestCost = Infinity;
  let b = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let bestInner: LoopGroup = 's';
  const evaluate = (pm: number, pc: number, ps: number, mr: number, cr: number, rr: number, pr: number, qr: number) => {
    const tm = Math.ceil(w.m / (pm * mr));
    const tc = Math.ceil(w.c / (pc * cr)) * Math.ceil(w.r / rr);
    const tp = Math.ceil(w.rows / (ps * pr));
    const tq = Math.ceil(w.cols / qr);
    const ts = tp * tq;
    const sumI =
      w.c * Math.ceil(w.r / rr) * Math.ceil(w.rows / pr) * span(pr, w.strideH, rr, w.dilationH, w.inRows) *
      tq * span(qr, w.strideW, w.s, w.dilationW, w.inCols);
    for (const inner of innerChoices(tm, tc, ts)) {
      const ro = Math.max(visitsO, inner === 'c' ? 1 : tc);
      const bufW = Math.max(sizeW * (inner === 's' ? 1 : ts), dram.w);
      const bufI = Math.max(sumI * (inner === 'm' ? 1 : tm), dram.i);
      const bufO = 2 * (ro - visitsO) * sizeO;
      const arrW = bufW * ps;
      const arrI = bufI * pm;
      const arrO = ro * (pc - 1) * sizeO;
      const rfO = 2 * Math.max(0, accumulations - ro * pc) * sizeO;
      const cost = hw.bufferCost * (bufW + bufI + bufO) + hw.arrayCost * (arrW + arrI + arrO) + hw.rfCost * rfO;
      if (cost < bestCost) {
        bestCost = cost;
        b = [bufW, bufI, bufO, arrW, arrI, arrO, rfO, mr, cr, rr, pr, qr, pm, pc];
        bestInner = inner;
        bestPs = ps;
      }
    }
  };
  let bestPs = 1;
  const rCands = tileCandidates(w.r);
  for (const [pm, pc, ps] of parallelConfigs(w, hw.peCount)) {
    const spatial = spatialTiles(Math.ceil(w.rows / ps), w.cols);
    const colSpans = spatial.map(([, qr]) => span(qr, w.strideW, w.s, w.dilationW, w.inCols));
    const cCands = tileCandidates(Math.ceil(w.c / pc));
    const mCands = tileCandidates(Math.ceil(w.m / pm));
    for (const rr of rCands) {
      const inputTile = spatial.map(([pr], j) => span(pr, w.strideH, rr, w.dilationH, w.inRows) * colSpans[j]);
      for (const cr of cCands) {
        let anyM = false;
        for (const mr of mCands) {
          const room = hw.rfElements - mr * cr * rr * w.s;
          let placed = false;
          for (let j = 0; j < spatial.length; j++) {
            const [pr, qr] = spatial[j];
            if (cr * inputTile[j] + mr * pr * qr <= room) {
              evaluate(pm, pc, ps, mr, cr, rr, pr, qr);
              placed = true;
              break;
            }
          }
          if (!placed) break;
          anyM = true;
        }
        if (!anyM) break;
      }
    }
  }
  // A register file too small for one kernel row: stream everything through it.
  if (bestCost === Infinity) evaluate(1, 1, 1, 1, 1, 1, 1, 1);
  const [bufW, bufI, bufO, arrW, arrI, arrO, rfO, mr, cr, rr, pr, qr, pm, pc] = b;
  return {
    weights: { dram: dram.w, buffer: bufW, array: arrW, rf: macs },
    inputs: { dram: dram.i, buffer: bufI, array: arrI, rf: macs },
    // The final write is in dram.o; the buffer sees psums spilled below the DRAM visits.
    outputs: { dram: dram.o, buffer: bufO, array: arrO, rf: rfO },
    choice: { m: mr, c: cr, r: rr, rows: pr, cols: qr, order: ORDER_WITH_INNER[bestInner], parallel: [pm, pc, bestPs] },
  };
}

/** Per-group tiling results by hardware, then by layer shape; it grows with what the caller analyses. */
export type TilingCache = Map<string, Map<string, ConvAccesses>>;

export function createTilingCache(): TilingCache {
  return new Map();
}

function scale(a: LevelAccesses, k: number): LevelAccesses {
  return { dram: a.dram * k, buffer: a.buffer * k, array: a.array * k, rf: a.rf * k };
}

/**
 * Accesses of every tensor at every level for the cheapest tiling found, summed over groups.
 *
 * `cache` lets repeated layer shapes (on the same hardware) skip the search.
 *
 * @example
 *   const acc = tileConv(workload, { bufferElements: 54 * 1024, rfElements: 256, peCount: 168,
 *                                    bufferCost: 6, arrayCost: 2, rfCost: 1 });
 *   acc.weights.dram // weight elements read from DRAM
 */
export function tileConv(w: ConvWorkload, hw: TilingHardware, cache?: TilingCache): ConvAccesses {
  // Networks repeat layer shapes (ResNet blocks, Inception branches): search each shape once.
  let bucket: Map<string, ConvAccesses> | undefined;
  let key = '';
  if (cache) {
    const hwKey = `${hw.bufferElements}|${hw.rfElements}|${hw.peCount}|${hw.bufferCost}|${hw.arrayCost}|${hw.rfCost}`;
    bucket = cache.get(hwKey);
    if (!bucket) cache.set(hwKey, (bucket = new Map()));
    key = `${w.m},${w.c},${w.rows},${w.cols},${w.r},${w.s},${w.strideH},${w.strideW},${w.dilationH},${w.dilationW},${w.inRows},${w.inCols},${w.bias}`;
  }
  let perGroup = bucket?.get(key);
  if (!perGroup) {
    const buf = searchBuffer(w, hw.bufferElements);
    const pe = searchPe(w, hw, buf.dram, buf.visitsO);
    perGroup = { weights: pe.weights, inputs: pe.inputs, outputs: pe.outputs, tiling: { buffer: buf.choice, pe: pe.choice, fits: buf.fits } };
    bucket?.set(key, perGroup);
  }
  return {
    weights: scale(perGroup.weights, w.groups),
    inputs: scale(perGroup.inputs, w.groups),
    outputs: scale(perGroup.outputs, w.groups),
    tiling: perGroup.tiling,
  };
}
