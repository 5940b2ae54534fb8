/**
 * Upper limits on every count, size and duration that reaches an allocation. Each is checked where
 * the value enters (project schema, service arguments, CLI options, file readers) so that a hostile
 * or careless input gets a sentence naming the field and its limit instead of running out of
 * memory. docs/limits.md lists them with the reason for each value.
 */

/** Nodes one device row may stand for. */
export const MAX_DEVICE_COUNT = 100_000;
/** Nodes of the whole fleet after each row is expanded into its `count` nodes. */
export const MAX_FLEET_NODES = 100_000;
/** Workloads of one project or placement problem (the synthetic fleet generator's upper end). */
export const MAX_WORKLOADS = 50_000;
/** Nodes the synthetic fleet generator writes (`generate fleet`). */
export const MAX_GENERATED_NODES = 10_000;
/** Rows of each other project list (sites, devices, models, budgets, links). */
export const MAX_PROJECT_ROWS = 10_000;
/** Planning period bounds, seconds: one millisecond to ten years. */
export const MIN_PERIOD_S = 1e-3;
export const MAX_PERIOD_S = 10 * 365 * 86_400;
/** Seconds a solver run (or one point of a sweep) may be given: one day. */
export const MAX_TIME_LIMIT_S = 86_400;
/** Agents (m) and jobs (n) of a generalized assignment instance, and their product (cost and weight matrices). */
export const MAX_GAP_AGENTS = 10_000;
export const MAX_GAP_JOBS = 100_000;
export const MAX_GAP_CELLS = 10_000_000;
/** Batch size of an energy analysis (the activations it sizes are counted, and profiling allocates them). */
export const MAX_ANALYSIS_BATCH = 65_536;
/** Training and fine-tuning batch size: one batch of inputs, activations and gradients is held at once. */
export const MAX_TRAIN_BATCH = 4_096;
/** Training epochs. */
export const MAX_EPOCHS = 10_000;
/** Timed runs of a profile or a bundle verification. */
export const MAX_RUNS = 10_000;
/** Largest value of one ONNX tensor dimension. */
export const MAX_ONNX_DIM = 2 ** 31 - 1;
/** Elements of one ONNX tensor (initializer or inferred activation): 2^31, 8 GB of float32. */
export const MAX_ONNX_TENSOR_ELEMENTS = 2 ** 31;

/** `limit` with thin-space free thousands separators, for messages: 100000 -> "100,000". */
export function formatLimit(limit: number): string {
  return limit.toLocaleString('en-US');
}
