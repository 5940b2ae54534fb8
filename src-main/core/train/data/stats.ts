import { type Dataset, imageBytes, readImage } from './dataset';

export interface ChannelStats {
  /** Per channel, in [0, 1] pixel units: what `batches({ normalize })` takes. */
  mean: number[];
  std: number[];
  /** Per channel sum of the raw bytes, exact: a fingerprint of the pixels. */
  byteSum: number[];
}

/**
 * Mean and (population) standard deviation of every channel over the whole dataset, the usual
 * source of normalisation constants.
 *
 * @example const { mean, std } = channelStats(train); batches(train, { batchSize: 64, normalize: { mean, std } })
 */
export function channelStats(dataset: Dataset): ChannelStats {
  const { channels, size } = dataset;
  const plane = dataset.height * dataset.width;
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  const image = new Uint8Array(imageBytes(dataset));
  // A histogram per channel keeps the inner loop to one increment and the sums exact.
  const histogram = new Float64Array(channels * 256);
  for (let i = 0; i < size; i++) {
    readImage(dataset, i, image);
    for (let c = 0; c < channels; c++) {
      const base = c * 256;
      for (let k = c * plane, end = k + plane; k < end; k++) histogram[base + image[k]]++;
    }
  }
  for (let c = 0; c < channels; c++) {
    for (let v = 0; v < 256; v++) {
      const n = histogram[c * 256 + v];
      sum[c] += n * v;
      sumSq[c] += n * v * v;
    }
  }
  const count = size * plane;
  const mean = Array.from(sum, (s) => (count ? s / count / 255 : 0));
  const std = Array.from(sumSq, (s, c) => (count ? Math.sqrt(Math.max(0, s / count / 65025 - mean[c] * mean[c])) : 0));
  return { mean, std, byteSum: Array.from(sum) };
}
