/** What training and evaluation report: per epoch, and for a model on a dataset. */

export interface EpochReport {
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number | null;
  validationAccuracy: number | null;
  ms: number;
}

export interface EvaluationReport {
  accuracy: number;
  loss: number;
  samples: number;
  ms: number;
}
