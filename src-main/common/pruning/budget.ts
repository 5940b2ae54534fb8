/** Energy budgets per inference, from the ways a planner states them. */

export interface BatteryTarget {
  /** Battery capacity, Wh. */
  wh: number;
  /** Inferences per second the device must serve. */
  ratePerS: number;
  /** Hours the battery must last. */
  hours: number;
}

/**
 * Joules one inference may take so a battery lasts the shift: the capacity, less what the device
 * draws idling for the whole shift, shared among the shift's inferences. Counting idle power for
 * the whole shift (the inferences' own static share is in their energy too) errs on the safe side.
 *
 * @example batteryBudgetJ({ wh: 20, ratePerS: 2, hours: 8 }, 1.2) // (72000 - 34560) / 57600 = 0.65 J
 */
export function batteryBudgetJ(target: BatteryTarget, idleW: number): number {
  const seconds = target.hours * 3600;
  return (target.wh * 3600 - idleW * seconds) / (target.ratePerS * seconds);
}
