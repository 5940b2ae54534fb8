/**
 * Fitting images to a model's input: channel conversion (grey <-> RGB) and bilinear resizing,
 * on uint8 pixels so datasets stay compact.
 */
import { DatasetError } from './errors';

/** Models take grey or RGB images. */
export type ModelChannels = 1 | 3;

/** `subject` names what the channels are for, e.g. "dataset 'mnist'". */
export function checkModelChannels(channels: number, subject: string): ModelChannels {
  if (channels !== 1 && channels !== 3) throw new DatasetError(`Channels ${channels} requested for ${subject} must be 1 (grey) or 3 (RGB).`);
  return channels;
}

/** A requested height or width: a positive integer (up to PNG's practical 16384). */
export function checkSide(value: number | undefined, label: 'Height' | 'Width', subject: string): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 16384)) {
    throw new DatasetError(`${label} ${value} requested for ${subject} must be an integer from 1 to 16384.`);
  }
  return value;
}

/**
 * Interleaved pixels with `from` channels (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA) to `to`
 * channels, interleaved. Alpha is dropped, as PIL's convert('RGB') does; grey is ITU-R BT.601
 * luma (299 R + 587 G + 114 B) / 1000, PIL's convert('L').
 *
 * @example convertChannels(Uint8Array.of(255, 0, 0), 3, 1, 1) // [76]
 */
export function convertChannels(src: Uint8Array, from: 1 | 2 | 3 | 4, to: ModelChannels, pixels: number): Uint8Array {
  if (from === to) return src;
  const out = new Uint8Array(pixels * to);
  if (to === 1) {
    for (let i = 0; i < pixels; i++) {
      const s = i * from;
      out[i] = from < 3 ? src[s] : Math.floor((src[s] * 299 + src[s + 1] * 587 + src[s + 2] * 114 + 500) / 1000);
    }
    return out;
  }
  for (let i = 0; i < pixels; i++) {
    const s = i * from;
    if (from < 3) {
      out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = src[s];
    } else {
      out[3 * i] = src[s];
      out[3 * i + 1] = src[s + 1];
      out[3 * i + 2] = src[s + 2];
    }
  }
  return out;
}

/** Source coordinates of each output column (or row) for bilinear sampling. */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float32Array;
}

/**
 * Half-pixel centres (align_corners = false), as PIL, OpenCV and ONNX Resize's default do:
 * output pixel i samples source coordinate (i + 0.5) * src / dst - 0.5, clamped to the edge.
 */
function taps(src: number, dst: number): Taps {
  const lo = new Int32Array(dst);
  const hi = new Int32Array(dst);
  const frac = new Float32Array(dst);
  const ratio = src / dst;
  for (let i = 0; i < dst; i++) {
    const s = Math.min(Math.max((i + 0.5) * ratio - 0.5, 0), src - 1);
    lo[i] = Math.floor(s);
    hi[i] = Math.min(lo[i] + 1, src - 1);
    frac[i] = s - lo[i];
  }
  return { lo, hi, frac };
}

/**
 * Bilinear resize of an interleaved (HWC) image into planar (CHW) order at `out[offset]`, the
 * layout datasets store. Equal sizes only reorder the bytes. Shrinking by more than 2x skips
 * source pixels (no antialiasing), which is fine for the small factors of training inputs.
 */
export function resizeToPlanar(
  src: Uint8Array,
  srcHeight: number,
  srcWidth: number,
  channels: number,
  out: Uint8Array,
  offset: number,
  height: number,
  width: number,
): void {
  const plane = height * width;
  if (srcHeight === height && srcWidth === width) {
    for (let c = 0; c < channels; c++) {
      for (let k = 0; k < plane; k++) out[offset + c * plane + k] = src[k * channels + c];
    }
    return;
  }
  resizeWithTaps(src, srcWidth, channels, out, offset, height, width, taps(srcHeight, height), taps(srcWidth, width));
}

function resizeWithTaps(src: Uint8Array, srcWidth: number, channels: number, out: Uint8Array, offset: number, height: number, width: number, rows: Taps, cols: Taps): void {
  const plane = height * width;
  const rowStride = srcWidth * channels;
  for (let y = 0; y < height; y++) {
    const top = rows.lo[y] * rowStride;
    const bottom = rows.hi[y] * rowStride;
    const fy = rows.frac[y];
    for (let x = 0; x < width; x++) {
      const left = cols.lo[x] * channels;
      const right = cols.hi[x] * channels;
      const fx = cols.frac[x];
      for (let c = 0; c < channels; c++) {
        const a = src[top + left + c] + (src[top + right + c] - src[top + left + c]) * fx;
        const b = src[bottom + left + c] + (src[bottom + right + c] - src[bottom + left + c]) * fx;
        out[offset + c * plane + y * width + x] = Math.round(a + (b - a) * fy);
      }
    }
  }
}

export interface ImageShape {
  channels: number;
  height: number;
  width: number;
}

/**
 * Converts `count` planar images from one shape to another (grey <-> RGB, bilinear resize),
 * e.g. Fashion-MNIST's 1x28x28 for a model that takes 3x32x32.
 */
export function convertPlanarImages(images: Uint8Array, count: number, from: ImageShape, to: ImageShape): Uint8Array {
  const fromPlane = from.height * from.width;
  const toPlane = to.height * to.width;
  const out = new Uint8Array(count * to.channels * toPlane);
  const plane = new Uint8Array(fromPlane);
  const rows = taps(from.height, to.height);
  const cols = taps(from.width, to.width);
  for (let i = 0; i < count; i++) {
    const src = i * from.channels * fromPlane;
    const dst = i * to.channels * toPlane;
    if (from.channels === to.channels) {
      for (let c = 0; c < to.channels; c++) {
        plane.set(images.subarray(src + c * fromPlane, src + (c + 1) * fromPlane));
        resizeWithTaps(plane, from.width, 1, out, dst + c * toPlane, to.height, to.width, rows, cols);
      }
      continue;
    }
    if (from.channels === 1) {
      plane.set(images.subarray(src, src + fromPlane));
    } else {
      // RGB to grey: the same BT.601 luma as convertChannels.
      for (let k = 0; k < fromPlane; k++) {
        const r = images[src + k];
        const g = images[src + fromPlane + k];
        const b = images[src + 2 * fromPlane + k];
        plane[k] = Math.floor((r * 299 + g * 587 + b * 114 + 500) / 1000);
      }
    }
    // Grey to RGB: resize once, then replicate the plane.
    resizeWithTaps(plane, from.width, 1, out, dst, to.height, to.width, rows, cols);
    for (let c = 1; c < to.channels; c++) out.copyWithin(dst + c * toPlane, dst, dst + toPlane);
  }
  return out;
}
