/**
 * Stopping, progress and the convergence trace, shared by the iterative solvers so that each of
 * them honours time limits, iteration limits and cancellation the same way.
 */
import { reportObjective, type CompiledProblem } from './compiled';
import { DEFAULT_TIME_LIMIT_MS, type Algorithm, type SolveOptions, type SolveResult } from './scheduler';
import { PlacementState } from './state';

export class RunControl {
  readonly started = performance.now();
  readonly deadline: number;
  readonly maxIterations: number;
  readonly trace: [number, number][] = [];
  iteration = 0;
  /** Best feasible internal objective recorded so far. */
  best = Infinity;
  private lastProgress = 0;
  private readonly every: number;

  constructor(
    readonly cp: CompiledProblem,
    readonly options: SolveOptions,
  ) {
    const noLimit = options.timeLimitMs === undefined && options.maxIterations === undefined;
    const time = options.timeLimitMs ?? (noLimit ? DEFAULT_TIME_LIMIT_MS : Infinity);
    this.deadline = this.started + time;
    this.maxIterations = options.maxIterations ?? Infinity;
    this.every = options.progressEveryMs ?? 200;
  }

  elapsed(): number {
    return performance.now() - this.started;
  }

  /** True when the time or iteration limit is reached or the caller asked to stop. */
  done(): boolean {
    return this.iteration >= this.maxIterations || performance.now() >= this.deadline || (this.options.shouldStop?.() ?? false);
  }

  /** Records a new best feasible objective (internal) in the trace; returns whether it improved. */
  offer(internal: number): boolean {
    if (!(internal < this.best)) return false;
    this.best = internal;
    const ms = this.elapsed();
    this.trace.push([ms, reportObjective(this.cp, internal)]);
    this.emit(ms);
    return true;
  }

  /** Counts an iteration and reports progress when due. */
  step(): void {
    this.iteration++;
    const ms = this.elapsed();
    if (ms - this.lastProgress >= this.every) this.emit(ms);
  }

  private emit(ms: number): void {
    this.lastProgress = ms;
    const feasible = this.best < Infinity;
    this.options.onProgress?.({
      ms,
      iteration: this.iteration,
      bestObjective: feasible ? reportObjective(this.cp, this.best) : null,
      feasible,
    });
  }
}

/** Evaluates a node/option vector afresh and packs it as a SolveResult. */
export function resultOf(
  cp: CompiledProblem,
  algorithm: Algorithm,
  node: Int32Array,
  opt: Int32Array,
  control: { started: number; trace: [number, number][]; iteration: number },
): SolveResult {
  const s = new PlacementState(cp);
  s.setFrom(node, opt);
  return {
    algorithm,
    assignment: Int32Array.from(node),
    option: Int32Array.from(opt),
    objective: reportObjective(cp, s.objective()),
    feasible: s.feasible(),
    trace: control.trace,
    ms: performance.now() - control.started,
    iterations: control.iteration,
  };
}
