/** echarts options of the energy-budget wizard: live progress, the Pareto chart of options, channels and energy per layer before and after. */
import type { EnergyReport } from '../../src-main/common/energy/reports';
import type { CompressionOption } from '../../src-main/common/project/schema';
import { paretoFront, type LivePoints } from '../stores/compression/shared';

const CRITERION_COLORS: Record<string, string> = { 'energy-taylor': '#2563eb', 'uniform-l1': '#f59e0b', 'energy-l1': '#7c3aed', 'macs-taylor': '#db2777' };

/** Energy after each pruning step (with the budget) and accuracy while fine-tuning, against the step. */
export function liveOption(points: LivePoints, labels: { energy: string; accuracy: string; step: string; budget: string }) {
  return {
    animation: false,
    grid: { left: 64, right: 56, top: 40, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const },
    xAxis: { type: 'value' as const, name: labels.step, min: 0 },
    yAxis: [
      { type: 'value' as const, name: 'mJ', min: 0 },
      { type: 'value' as const, name: labels.accuracy, min: 0, max: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: labels.energy,
        type: 'line' as const,
        itemStyle: { color: '#2563eb' },
        data: points.energy.map(([step, j]) => [step, j * 1e3]),
        markLine: points.budgetJ === null ? undefined : { symbol: 'none', label: { formatter: labels.budget }, data: [{ yAxis: points.budgetJ * 1e3 }] },
      },
      { name: labels.accuracy, type: 'line' as const, yAxisIndex: 1, showSymbol: false, itemStyle: { color: '#10b981' }, data: points.accuracy },
    ],
  };
}

/**
 * Accuracy against energy for one device type's options: the original, each criterion's options,
 * and the Pareto front (no option is both cheaper and more accurate than a point on it).
 */
export function paretoOption(options: readonly CompressionOption[], labels: { original: string; front: string; energy: string; accuracy: string }) {
  const scored = options.filter((o) => o.accuracy !== null);
  const criteria = [...new Set(scored.map((o) => o.criterion))];
  const original = scored[0];
  const pct = (a: number | null) => (a === null ? null : Number((a * 100).toFixed(2)));
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 40, bottom: 48 },
    legend: { top: 0 },
    tooltip: { trigger: 'item' as const },
    xAxis: { type: 'value' as const, name: labels.energy, nameLocation: 'middle' as const, nameGap: 28, min: 0 },
    yAxis: { type: 'value' as const, name: labels.accuracy, scale: true },
    series: [
      ...(original && original.originalAccuracy !== null
        ? [{ name: labels.original, type: 'scatter' as const, symbol: 'diamond', symbolSize: 14, itemStyle: { color: '#111827' }, data: [[original.originalEnergyJ * 1e3, pct(original.originalAccuracy)]] }]
        : []),
      ...criteria.map((c) => ({
        name: c,
        type: 'scatter' as const,
        symbolSize: 11,
        itemStyle: { color: CRITERION_COLORS[c] ?? '#6b7280' },
        data: scored.filter((o) => o.criterion === c).map((o) => [o.energyJ * 1e3, pct(o.accuracy)]),
      })),
      { name: labels.front, type: 'line' as const, showSymbol: false, lineStyle: { type: 'dashed' as const, color: '#9ca3af' }, data: paretoFront(scored).map((o) => [o.energyJ * 1e3, pct(o.accuracy)]) },
    ],
  };
}

export function channelsOption(channels: CompressionOption['channels'], labels: { before: string; after: string }) {
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 36, bottom: 90 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    xAxis: { type: 'category' as const, data: channels.map((c) => c.layer), axisLabel: { rotate: 50, fontSize: 10 } },
    yAxis: { type: 'value' as const },
    series: [
      { name: labels.before, type: 'bar' as const, itemStyle: { color: '#cbd5e1' }, data: channels.map((c) => c.before) },
      { name: labels.after, type: 'bar' as const, itemStyle: { color: '#2563eb' }, data: channels.map((c) => c.after) },
    ],
  };
}

/** Energy per layer (mJ, fused layers left out) of the original and the pruned model on the same device. */
export function layerEnergyOption(before: EnergyReport, after: EnergyReport, labels: { before: string; after: string }) {
  const layers = before.layers.filter((l) => !l.fusedInto);
  const pruned = new Map(after.layers.map((l) => [l.name, l.energyJ]));
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 36, bottom: 90 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    xAxis: { type: 'category' as const, data: layers.map((l) => l.name), axisLabel: { rotate: 50, fontSize: 10 } },
    yAxis: { type: 'value' as const, name: 'mJ' },
    series: [
      { name: labels.before, type: 'bar' as const, itemStyle: { color: '#cbd5e1' }, data: layers.map((l) => l.energyJ * 1e3) },
      { name: labels.after, type: 'bar' as const, itemStyle: { color: '#16a34a' }, data: layers.map((l) => (pruned.get(l.name) ?? 0) * 1e3) },
    ],
  };
}
