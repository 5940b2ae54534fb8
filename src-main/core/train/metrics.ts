/** Accuracy and cross-entropy from logits, computed in TypeScript for evaluation batches. */

export interface BatchScore {
  correct: number;
  /** Sum over the batch of -log softmax(logits)[label]. */
  lossSum: number;
}

/**
 * Scores `size` rows of `classes` logits against their labels.
 *
 * @example scoreLogits(Float32Array.of(2, 0, 0, 1), BigInt64Array.of(0n, 1n), 2, 2).correct // 2
 */
export function scoreLogits(logits: Float32Array, labels: BigInt64Array, size: number, classes: number): BatchScore {
  let correct = 0;
  let lossSum = 0;
  for (let n = 0; n < size; n++) {
    const row = n * classes;
    let best = 0;
    let max = logits[row];
    for (let k = 1; k < classes; k++) {
      if (logits[row + k] > max) {
        max = logits[row + k];
        best = k;
      }
    }
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(logits[row + k] - max);
    const label = Number(labels[n]);
    if (best === label) correct++;
    lossSum += Math.log(sum) + max - logits[row + label];
  }
  return { correct, lossSum };
}
