/**
 * The energy-vs-balance front as a chart: x the busiest node's utilization (%), y the energy per
 * planning period (kJ). Points on the front are joined by steps, as the least energy under a cap
 * really goes (flat until the cap reaches the next point's peak, then down); points a solver found
 * off the front (a heuristic's miss) are drawn faint; the chosen point is ringed. Every data
 * item carries the point's index in the sweep, so a click maps back to the point.
 */
import type { ParetoPoint } from '../../src-main/common/placement/pareto';

export interface ParetoLabels {
  peak: string;
  energy: string;
  front: string;
  dominated: string;
}

/** [peak %, energy kJ, index of the point in the sweep] */
type Datum = [number, number, number];

const FRONT = '#2563eb';
const DOMINATED = '#9ca3af';
const CHOSEN = '#dc2626';

/** The plot area's margins in pixels (the canvas minus these is the plot). */
export const PARETO_GRID = { left: 72, right: 24, top: 36, bottom: 48 };

/**
 * An axis range around the values with 8% of their span (or 1% of their size) on each side:
 * fixed bounds rather than echarts' rounded ones, so the ends of the front never sit on the frame.
 */
export function paddedRange(values: readonly number[]): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 1 };
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(hi) * 0.01, 1e-6);
  return { min: lo - pad, max: hi + pad };
}

export function paretoOption(points: readonly ParetoPoint[], selected: number | null, labels: ParetoLabels) {
  const datum = (p: ParetoPoint): Datum => [p.peakUtilization * 100, p.energyJ / 1000, points.indexOf(p)];
  const front = points.filter((p) => p.onFront).map(datum);
  const others = points.filter((p) => p.feasible && !p.onFront).map(datum);
  const chosen = selected !== null && points[selected] ? [datum(points[selected])] : [];
  const x = paddedRange([...front, ...others].map((d) => d[0]));
  const y = paddedRange([...front, ...others].map((d) => d[1]));
  return {
    animation: false,
    grid: PARETO_GRID,
    legend: { top: 0, data: [labels.front, labels.dominated] },
    tooltip: { trigger: 'item' as const, formatter: (p: { value: Datum }) => `${labels.peak}: ${p.value[0].toFixed(1)} %<br>${labels.energy}: ${p.value[1].toFixed(1)}` },
    xAxis: { type: 'value' as const, name: labels.peak, nameLocation: 'middle' as const, nameGap: 28, ...x, axisLabel: { formatter: (v: number) => v.toFixed(1) } },
    yAxis: { type: 'value' as const, name: labels.energy, ...y, axisLabel: { formatter: (v: number) => v.toFixed(0) } },
    series: [
      { name: labels.front, type: 'line' as const, step: 'end' as const, data: front, symbolSize: 11, itemStyle: { color: FRONT }, lineStyle: { color: FRONT }, cursor: 'pointer' },
      { name: labels.dominated, type: 'scatter' as const, data: others, symbolSize: 8, itemStyle: { color: DOMINATED }, cursor: 'pointer' },
      { name: 'chosen', type: 'scatter' as const, data: chosen, symbolSize: 18, silent: true, itemStyle: { color: 'transparent', borderColor: CHOSEN, borderWidth: 2 }, z: 3 },
    ],
  };
}

/** The index of the sweep point behind a clicked data item, or null. */
export function clickedPoint(event: { value?: unknown }): number | null {
  const value = event.value;
  return Array.isArray(value) && typeof value[2] === 'number' ? value[2] : null;
}
