/**
 * Per-sample augmentation parameters. Each sample's draw depends only on (seed, epoch, sample
 * index), so it is the same whatever the batch size, the shuffle or the worker; a new epoch
 * gives new draws.
 */
import { DatasetError } from './errors';
import { hashInts } from '../../../common/random';

export interface AugmentOptions {
  /**
   * Pad every side by this many pixels (zeros, as torchvision's RandomCrop(padding=p)), then
   * crop back to the original size at a random offset: a random shift of -p..p pixels on each
   * axis.
   */
  randomCrop?: number;
  /** Mirror left-right with probability 1/2. */
  flip?: boolean;
}

/** One sample's draw: shift (dx, dy) of the source and whether to mirror. */
export interface AugmentDraw {
  dx: number;
  dy: number;
  flip: boolean;
}

/** Keeps augmentation draws apart from the shuffle drawn from the same seed. */
const AUGMENT_STREAM = 0xa097e17;

export function checkAugment(options: AugmentOptions, height: number, width: number): void {
  const pad = options.randomCrop ?? 0;
  if (!Number.isInteger(pad) || pad < 0) throw new DatasetError(`Random crop padding ${pad} must be a non-negative integer.`);
  if (pad >= Math.max(height, width)) {
    throw new DatasetError(`Random crop padding ${pad} must be smaller than the ${height}x${width} image.`);
  }
}

/**
 * Fills `out` with the draw for sample `index` of `epoch`; `seed` is already folded by toSeed.
 *
 * @example drawAugment(seed, 3, 17, { randomCrop: 4, flip: true }, draw) // draw.dx in -4..4
 */
export function drawAugment(seed: number, epoch: number, index: number, options: AugmentOptions, out: AugmentDraw): AugmentDraw {
  const pad = options.randomCrop ?? 0;
  const h = hashInts(seed, AUGMENT_STREAM, epoch, index);
  const span = 2 * pad + 1;
  // Three independent slices of one 32-bit hash; span is at most a few hundred, so the
  // modulo bias is negligible.
  out.dx = pad ? ((h & 0x7ff) % span) - pad : 0;
  out.dy = pad ? (((h >>> 11) & 0x7ff) % span) - pad : 0;
  out.flip = options.flip === true && (h >>> 31) === 1;
  return out;
}
