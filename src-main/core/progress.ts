/**
 * How long-running core algorithms report progress and honour cancellation without knowing
 * whether they run in a worker job, a CLI command or a test.
 */
export interface Progress {
  /**
   * `fraction` in 0..1 (null when unknown), a short message for the window, and optional
   * numbers a screen can plot live (`{ epoch: 2, loss: 0.41, accuracy: 0.86 }`).
   */
  report(fraction: number | null, message: string, metrics?: Record<string, number>): void;
  /** Throws a JobCancelledError when someone asked the work to stop. Call between steps. */
  checkpoint(): void;
}

/** A sink for callers that do not watch progress. */
export const silentProgress: Progress = { report() {}, checkpoint() {} };

/**
 * The cancel check of solvers, which stop by returning their best rather than by throwing:
 * true once `progress.checkpoint()` would throw.
 */
export function stopRequested(progress: Progress): () => boolean {
  return () => {
    try {
      progress.checkpoint();
      return false;
    } catch {
      return true;
    }
  };
}

/** Reports of a part of the work as the range [from, to] of the whole. */
export function partOf(progress: Progress, from: number, to: number): Progress {
  return {
    report: (fraction, message, metrics) => progress.report(fraction === null ? null : from + (to - from) * fraction, message, metrics),
    checkpoint: () => progress.checkpoint(),
  };
}
