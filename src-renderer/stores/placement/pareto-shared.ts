/** The sweep's pure logic: how a point becomes a utilization limit. */
import type { ParetoPoint } from '../../../src-main/common/placement/pareto';

/**
 * The utilization limit that keeps a point reachable: its peak rounded up to 0.01 point of
 * utilization (a limit a planner can read), never above the limit the sweep ran under.
 *
 * @example
 * limitOfPoint({ peakUtilization: 0.05583 }, 0.7); // 0.0559
 */
export function limitOfPoint(point: Pick<ParetoPoint, 'peakUtilization'>, current: number): number {
  return Math.min(current, Math.ceil(point.peakUtilization * 1e4 - 1e-6) / 1e4);
}
