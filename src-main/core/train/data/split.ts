import { type Dataset, selectSamples } from './dataset';
import { DatasetError } from './errors';
import { CounterRng, hashInts, shuffleInPlace } from '../../../common/random';
import { toSeed } from './random';

/** Keeps the split's random stream apart from the shuffles drawn from the same seed. */
const SPLIT_STREAM = 0x5b1175;

export interface TrainValidationSplit {
  train: Dataset;
  validation: Dataset;
}

/**
 * Holds out `fraction` of every class for validation, chosen by `seed`. Stratified so that a
 * small image folder with a rare class still has that class on both sides; each side keeps the
 * dataset's original order (shuffling is the batch iterator's job). Per class,
 * round(fraction * count) samples go to validation, so the total can differ from
 * round(fraction * size) by up to half a sample per class.
 *
 * @example const { train, validation } = splitTrainValidation(ds, 0.1, 7); // ~10% held out
 */
export function splitTrainValidation(dataset: Dataset, fraction: number, seed: number): TrainValidationSplit {
  if (!(fraction > 0 && fraction < 1)) {
    throw new DatasetError(`Validation fraction ${fraction} for dataset '${dataset.name}' must be between 0 and 1 (exclusive).`);
  }
  const base = toSeed(seed);
  const byClass = indicesByClass(dataset);
  const validation = new Uint8Array(dataset.size);
  byClass.forEach((members, label) => {
    const take = Math.round(fraction * members.length);
    shuffleInPlace(members, new CounterRng(hashInts(base, SPLIT_STREAM, label)));
    for (let i = 0; i < take; i++) validation[members[i]] = 1;
  });
  const validationCount = validation.reduce((a, b) => a + b, 0);
  const trainIdx = new Uint32Array(dataset.size - validationCount);
  const validIdx = new Uint32Array(validationCount);
  for (let i = 0, t = 0, v = 0; i < dataset.size; i++) {
    if (validation[i]) validIdx[v++] = i;
    else trainIdx[t++] = i;
  }
  return {
    train: selectSamples(dataset, trainIdx, `${dataset.name}/train`),
    validation: selectSamples(dataset, validIdx, `${dataset.name}/validation`),
  };
}

function indicesByClass(dataset: Dataset): Uint32Array[] {
  const counts = new Uint32Array(dataset.classes.length);
  for (let i = 0; i < dataset.size; i++) counts[dataset.labels[i]]++;
  const groups = Array.from(counts, (c) => new Uint32Array(c));
  const fill = new Uint32Array(counts.length);
  for (let i = 0; i < dataset.size; i++) {
    const label = dataset.labels[i];
    groups[label][fill[label]++] = i;
  }
  return groups;
}
