/**
 * echarts options for the energy view, as pure functions of the reports: per-layer energy
 * split, the same model on every device, and energy and latency over edge-cloud cut points.
 */
import type { EnergyLayerReport, EnergyReport, PartitionReport } from '../../src-main/common/api/energy';

export const energyParts = ['computeJ', 'dramJ', 'bufferJ', 'rfJ', 'staticJ'] as const;
export type EnergyPart = (typeof energyParts)[number];

const partColors: Record<EnergyPart, string> = {
  computeJ: '#3b82f6',
  dramJ: '#ef4444',
  bufferJ: '#f59e0b',
  rfJ: '#10b981',
  staticJ: '#8b5cf6',
};

/**
 * The parts some report actually charges: library devices keep register-file energy inside their
 * MAC energy, so a column of zeros there would only look like a bug. The Eyeriss profile shows it.
 */
export function chargedParts(reports: readonly EnergyReport[]): EnergyPart[] {
  return energyParts.filter((part) => reports.some((r) => r.totals[part] > 0));
}

/** Joules shown as mJ (or the Eyeriss profile's normalized units, unscaled). */
export function energyScale(units: string): { factor: number; unit: string } {
  return units === 'J' ? { factor: 1e3, unit: 'mJ' } : { factor: 1, unit: units };
}

/** Layers that run on their own (fused element-wise ops are part of the layer before them). */
export function ownLayers(report: EnergyReport): EnergyLayerReport[] {
  return report.layers.filter((l) => !l.fusedInto);
}

export function layerEnergyOption(report: EnergyReport, labels: Record<EnergyPart, string>) {
  const layers = ownLayers(report);
  const { factor, unit } = energyScale(report.units);
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 40, bottom: 90 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    dataZoom: layers.length > 40 ? [{ type: 'slider' as const, bottom: 8, start: 0, end: Math.min(100, (40 / layers.length) * 100) }, { type: 'inside' as const }] : [],
    xAxis: { type: 'category' as const, data: layers.map((l) => l.name), axisLabel: { rotate: 60, fontSize: 10 } },
    yAxis: { type: 'value' as const, name: unit },
    series: chargedParts([report]).map((part) => ({
      name: labels[part],
      type: 'bar' as const,
      stack: 'energy',
      itemStyle: { color: partColors[part] },
      data: layers.map((l) => l[part] * factor),
    })),
  };
}

export function deviceComparisonOption(reports: EnergyReport[], labels: Record<EnergyPart, string> & { latency: string }) {
  const joules = reports.filter((r) => r.units === 'J');
  return {
    animation: false,
    grid: { left: 64, right: 64, top: 40, bottom: 80 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    xAxis: { type: 'category' as const, data: joules.map((r) => r.device.name), axisLabel: { rotate: 20, fontSize: 10, interval: 0 } },
    yAxis: [
      { type: 'value' as const, name: 'mJ' },
      { type: 'value' as const, name: 'ms', splitLine: { show: false } },
    ],
    series: [
      ...chargedParts(joules).map((part) => ({
        name: labels[part],
        type: 'bar' as const,
        stack: 'energy',
        itemStyle: { color: partColors[part] },
        data: joules.map((r) => r.totals[part] * 1e3),
      })),
      { name: labels.latency, type: 'line' as const, yAxisIndex: 1, symbolSize: 8, itemStyle: { color: '#111827' }, data: joules.map((r) => r.totals.latencyMs) },
    ],
  };
}

export function partitionOption(report: PartitionReport, labels: { layers: string; transmit: string; wait: string; latency: string; cloud: string; slo: string }, sloMs: number | null) {
  const names = report.cuts.map((c) => c.cutAfter ?? labels.cloud);
  const bestIndex = report.cuts.findIndex((c) => c.cutAfter === report.best.cutAfter);
  const bar = (name: string, key: 'layersJ' | 'transmitJ' | 'waitJ', color: string) => ({
    name,
    type: 'bar' as const,
    stack: 'device',
    itemStyle: { color },
    data: report.cuts.map((c, i) => ({ value: c[key] * 1e3, itemStyle: i === bestIndex ? { color, borderColor: '#111827', borderWidth: 2 } : undefined })),
  });
  return {
    animation: false,
    grid: { left: 64, right: 64, top: 40, bottom: 90 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const },
    dataZoom: names.length > 40 ? [{ type: 'slider' as const, bottom: 8 }, { type: 'inside' as const }] : [],
    xAxis: { type: 'category' as const, data: names, axisLabel: { rotate: 60, fontSize: 10 } },
    yAxis: [
      { type: 'value' as const, name: 'mJ' },
      { type: 'value' as const, name: 'ms', splitLine: { show: false } },
    ],
    series: [
      bar(labels.layers, 'layersJ', '#3b82f6'),
      bar(labels.transmit, 'transmitJ', '#ef4444'),
      bar(labels.wait, 'waitJ', '#9ca3af'),
      {
        name: labels.latency,
        type: 'line' as const,
        yAxisIndex: 1,
        showSymbol: false,
        itemStyle: { color: '#111827' },
        data: report.cuts.map((c) => c.latencyMs),
        markLine: sloMs === null ? undefined : { symbol: 'none', label: { formatter: labels.slo, position: 'insideEndTop' as const }, lineStyle: { type: 'dashed' as const, color: '#dc2626' }, data: [{ yAxis: sloMs }] },
      },
    ],
  };
}
