/** The sweep's chart option and its point-to-limit rule: pure functions the Pareto panel draws from. */
import { describe, expect, it } from 'vitest';
import type { ParetoPoint } from '../../src-main/common/placement/pareto';
import { clickedPoint, paretoOption } from '../../src-renderer/charts/pareto';
import { limitOfPoint } from '../../src-renderer/stores/placement/pareto-shared';

const point = (peakUtilization: number, energyJ: number, onFront: boolean, feasible = true): ParetoPoint => ({
  kind: 'capped',
  peakCap: peakUtilization,
  energyJ,
  peakUtilization,
  feasible,
  onFront,
  lambdaRange: null,
  lambdaJ: null,
  assignment: {},
  variants: {},
  ms: 0,
});

describe('the Pareto chart', () => {
  const labels = { peak: 'peak', energy: 'kJ', front: 'front', dominated: 'off' };
  const points = [point(0.05, 3_400_000, true), point(0.06, 3_500_000, false), point(0.07, 2_900_000, true), point(0.08, 0, false, false)];

  it('draws the front in % and kJ, off-front points apart, infeasible ones not at all, and rings the chosen one', () => {
    const option = paretoOption(points, 2, labels);
    const near = (x: number, y: number, index: number) => [expect.closeTo(x, 9), expect.closeTo(y, 9), index];
    expect(option.series[0].data).toEqual([near(5, 3400, 0), near(7, 2900, 2)]);
    expect(option.series[1].data).toEqual([near(6, 3500, 1)]);
    expect(option.series[2].data).toEqual([near(7, 2900, 2)]);
    expect(paretoOption(points, null, labels).series[2].data).toEqual([]);
  });

  it('maps a click back to the point', () => {
    expect(clickedPoint({ value: [7, 2900, 2] })).toBe(2);
    expect(clickedPoint({ value: 3 })).toBeNull();
  });
});

describe('a point as a utilization limit', () => {
  it('rounds the peak up to 0.01 point, never above the current limit', () => {
    expect(limitOfPoint({ peakUtilization: 0.05583 }, 0.7)).toBe(0.0559);
    expect(limitOfPoint({ peakUtilization: 0.059 }, 0.7)).toBe(0.059);
    expect(limitOfPoint({ peakUtilization: 0.69999 }, 0.6999)).toBe(0.6999);
  });
});
