/** What checking a deployment bundle finds: files against their checksums, and each model run with onnxruntime. */

/** A file whose sha256 differs from SHA256SUMS, that is missing, or that SHA256SUMS does not list. */
export interface FileProblem {
  path: string;
  problem: 'changed' | 'missing' | 'unlisted';
}

export interface VerifiedModel {
  node: string;
  file: string;
  loaded: boolean;
  /** onnxruntime on this machine, median ms at batch 1. */
  measuredMs: number | null;
  /** What the host profile predicts for this machine. */
  hostPredictedMs: number | null;
  /** What the plan expects on the node's device type. */
  expectedMs: number;
  error: string | null;
}
