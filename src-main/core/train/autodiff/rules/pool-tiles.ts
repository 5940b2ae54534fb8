/**
 * Pooling gradients where square 2-d windows tile the input (kernel == stride, no padding or
 * dilation; rows and columns past the last window get zero). Two layouts of the same sums:
 *
 * - upsample (float32, default): y and dY / count are brought to the input's size by a
 *   nearest-neighbour Resize (onnxruntime has a fast path for integer scales), compared and
 *   multiplied there, and the ties in each window are counted by an AveragePool. MaxPool
 *   forward + input gradient on [64, 32, 28, 28], 1 thread: 6.8 ms, against 12.3 ms by blocks.
 * - blocks: SpaceToDepth views the input as [N, k*k, C, O1, O2], where the pooled output
 *   broadcasts over axis 1, and DepthToSpace brings the gradient back; its 6-d transposes
 *   are the slow part. Kept for float64, which Resize and AveragePool lack in onnxruntime.
 */
import { int, str } from '../attrs';
import type { Emitter } from '../emitter';
import { tiles } from '../window';
import type { Window } from '../window';

export type TileLayout = 'upsample' | 'blocks';

export function squareTiles(w: Window): boolean {
  return w.kernel.length === 2 && w.kernel[0] === w.kernel[1] && tiles(w);
}

/** Rows and columns the windows cover (all but the remainder that floor division drops). */
function covered(w: Window): number[] {
  return w.output.map((o, i) => o * w.kernel[i]);
}

function cropToTiles(e: Emitter, x: string, w: Window): string {
  const used = covered(w);
  return used.some((u, i) => u !== w.input[i]) ? e.op('Slice', [x, e.ints([0, 0]), e.ints(used), e.ints([2, 3])]) : x;
}

/** A gradient over the covered rows back to the input's size: zero where no window reached. */
export function fromTiles(e: Emitter, g: string, w: Window): string {
  const used = covered(w);
  if (used.every((u, i) => u === w.input[i])) return g;
  return e.op('Pad', [g, e.ints([0, 0, 0, 0, 0, 0, ...used.map((u, i) => w.input[i] - u)])]);
}

/** x cropped to the covered rows, as blocks [N, k*k, C, O1, O2]. */
export function toBlocks(e: Emitter, x: string, c: number, w: Window): string {
  const k = w.kernel[0];
  return e.reshape(e.op('SpaceToDepth', [cropToTiles(e, x, w)], { blocksize: int(k) }), [0, k * k, c, ...w.output]);
}

/** Blocks [N, k*k, C, O1, O2] back to [N, C, H, W], zero where no window reached. */
export function fromBlocks(e: Emitter, g: string, c: number, w: Window): string {
  const k = w.kernel[0];
  return fromTiles(e, e.op('DepthToSpace', [e.reshape(g, [0, k * k * c, ...w.output])], { blocksize: int(k), mode: str('DCR') }), w);
}

/** Each element of [N, C, O1, O2] repeated over a k x k block: [N, C, k O1, k O2]. */
export function upsample(e: Emitter, t: string, k: number): string {
  return e.op('Resize', [t, '', e.floats([1, 1, k, k], [4])], {
    mode: str('nearest'),
    nearest_mode: str('floor'),
    coordinate_transformation_mode: str('asymmetric'),
  });
}

/**
 * MaxPool's input gradient, dY shared equally among the elements equal to their window's
 * maximum (a tie is common in real data: a conv over a flat background gives equal values).
 * The window sums pool a [N*C, 1, H, W] view, which onnxruntime keeps in NCHW instead of
 * reordering to its blocked layout for one op.
 */
export function maxPoolTilesUpsampled(e: Emitter, x: string, y: string, dy: string, c: number, w: Window): string {
  const k = w.kernel[0];
  const used = covered(w);
  const hit = e.cast(e.op('Equal', [cropToTiles(e, x, w), upsample(e, y, k)]), e.float);
  const pooled = e.op('AveragePool', [e.reshape(hit, [-1, 1, ...used])], { kernel_shape: { kind: 'ints', value: [k, k] }, strides: { kind: 'ints', value: [k, k] } });
  // dY / count with count = k^2 * (mean of the hits in the window).
  const share = e.div(e.mul(dy, e.scalar(1 / (k * k))), e.reshape(pooled, [-1, c, ...w.output]));
  return fromTiles(e, e.mul(hit, upsample(e, share, k)), w);
}
