/**
 * The hot loop of the data pipeline: uint8 pixels to normalised float32, with the optional
 * shift and mirror of augmentation, in one pass and without allocating.
 */
import { DatasetError } from './errors';

/** Per-channel mean and standard deviation in [0, 1] pixel units (after dividing by 255). */
export interface Normalization {
  mean: readonly number[];
  std: readonly number[];
}

/** `value = byte * scale[c] + bias[c]` computes ((byte / 255) - mean[c]) / std[c]. */
export interface ChannelAffine {
  scale: Float32Array;
  bias: Float32Array;
}

/**
 * Folds /255, -mean and /std into one multiply-add per pixel. A single mean/std applies to
 * every channel.
 *
 * @example channelAffine({ mean: [0.5], std: [0.5] }, 1) // byte 255 -> 1, byte 0 -> -1
 */
export function channelAffine(normalize: Normalization, channels: number): ChannelAffine {
  const { mean, std } = normalize;
  for (const [label, list] of [['mean', mean], ['std', std]] as const) {
    if (list.length !== 1 && list.length !== channels) {
      throw new DatasetError(`Normalization ${label} has ${list.length} values; give 1 or one per channel (${channels}).`);
    }
  }
  const scale = new Float32Array(channels);
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const m = mean.length === 1 ? mean[0] : mean[c];
    const s = std.length === 1 ? std[0] : std[c];
    if (!Number.isFinite(m)) throw new DatasetError(`Normalization mean ${m} for channel ${c} is not a finite number.`);
    if (!(s > 0) || !Number.isFinite(s)) throw new DatasetError(`Normalization std ${s} for channel ${c} must be a positive number.`);
    scale[c] = 1 / (255 * s);
    bias[c] = -m / s;
  }
  return { scale, bias };
}

/**
 * Writes one planar C*H*W image from `src` at `srcOffset` to `out` at `outOffset`. With a shift,
 * output pixel (y, x) reads source (y + dy, x' + dx) where x' is x or its mirror; pixels read
 * from outside the image are zero padding, normalised like a black pixel.
 */
export function writeImage(
  src: Uint8Array,
  srcOffset: number,
  out: Float32Array,
  outOffset: number,
  channels: number,
  height: number,
  width: number,
  affine: ChannelAffine,
  dx = 0,
  dy = 0,
  flip = false,
): void {
  const plane = height * width;
  for (let c = 0; c < channels; c++) {
    const scale = affine.scale[c];
    const bias = affine.bias[c];
    const s0 = srcOffset + c * plane;
    const o0 = outOffset + c * plane;
    if (dx === 0 && dy === 0 && !flip) {
      for (let k = 0; k < plane; k++) out[o0 + k] = src[s0 + k] * scale + bias;
      continue;
    }
    for (let y = 0; y < height; y++) {
      const sy = y + dy;
      const o = o0 + y * width;
      if (sy < 0 || sy >= height) {
        out.fill(bias, o, o + width);
        continue;
      }
      const row = s0 + sy * width;
      for (let x = 0; x < width; x++) {
        const sx = (flip ? width - 1 - x : x) + dx;
        out[o + x] = sx >= 0 && sx < width ? src[row + sx] * scale + bias : bias;
      }
    }
  }
}
