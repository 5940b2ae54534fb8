/**
 * Learning-rate schedules as pure functions of the step: a warm-up that ramps linearly from 0,
 * then constant, step decay or cosine decay over the remaining steps.
 *
 * @example learningRate({ kind: 'cosine', base: 0.1, warmupSteps: 100, totalSteps: 1000, minFactor: 0 }, 550) // 0.05
 */
export type LrSchedule =
  | { kind: 'constant'; base: number; warmupSteps?: number }
  | { kind: 'step'; base: number; warmupSteps?: number; stepSize: number; gamma: number }
  | { kind: 'cosine'; base: number; warmupSteps?: number; totalSteps: number; minFactor?: number };

export function learningRate(schedule: LrSchedule, step: number): number {
  const warmup = schedule.warmupSteps ?? 0;
  if (step < warmup) return (schedule.base * (step + 1)) / warmup;
  const t = step - warmup;
  switch (schedule.kind) {
    case 'constant':
      return schedule.base;
    case 'step':
      return schedule.base * schedule.gamma ** Math.floor(t / schedule.stepSize);
    case 'cosine': {
      const span = Math.max(1, schedule.totalSteps - warmup);
      const progress = Math.min(1, t / span);
      const min = schedule.minFactor ?? 0;
      return schedule.base * (min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
    default: {
      const unknown: never = schedule;
      throw new Error(`Unknown schedule ${JSON.stringify(unknown)}`);
    }
  }
}
