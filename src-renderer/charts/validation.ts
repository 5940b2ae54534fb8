/** echarts option of the device library's check: predicted against published latency, log-log, with the ±25 % band. */
import type { DeviceValidation } from '../../src-main/common/api/devices';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

export function validationScatterOption(devices: readonly DeviceValidation[], labels: { measured: string; predicted: string; band: string }) {
  const fitted = devices.map((d) => ({ id: d.deviceId, points: d.points.filter((p) => p.use === 'fit' && p.predictedMs !== null) })).filter((d) => d.points.length);
  const all = fitted.flatMap((d) => d.points.flatMap((p) => [p.measuredMs, p.predictedMs!]));
  // Whole decades, so the axes read 0.1, 1, 10, ...
  const lo = 10 ** Math.floor(Math.log10(all.length ? Math.min(...all) : 0.1));
  const hi = 10 ** Math.ceil(Math.log10(all.length ? Math.max(...all) : 1000));
  const line = (k: number) => [
    [lo, lo * k],
    [hi, hi * k],
  ];
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 48, bottom: 52 },
    legend: { top: 0 },
    tooltip: { trigger: 'item' as const, formatter: (p: { seriesName: string; data: [number, number, string] }) => `${p.seriesName}: ${p.data[2] ?? ''}<br>${labels.measured} ${p.data[0]} ms, ${labels.predicted} ${Number(p.data[1]).toPrecision(3)} ms` },
    xAxis: { type: 'log' as const, name: labels.measured, nameLocation: 'middle' as const, nameGap: 30, min: lo, max: hi },
    yAxis: { type: 'log' as const, name: labels.predicted, min: lo, max: hi },
    series: [
      ...fitted.map((d, i) => ({
        name: d.id,
        type: 'scatter' as const,
        symbolSize: 9,
        itemStyle: { color: COLORS[i % COLORS.length] },
        data: d.points.map((p) => [p.measuredMs, p.predictedMs!, `${p.model} ${p.input}px ${p.precision}`]),
      })),
      { name: labels.band, type: 'line' as const, showSymbol: false, silent: true, lineStyle: { type: 'dashed' as const, color: '#9ca3af' }, data: line(1.25) },
      { name: labels.band, type: 'line' as const, showSymbol: false, silent: true, lineStyle: { type: 'dashed' as const, color: '#9ca3af' }, data: line(0.75) },
      { name: '1:1', type: 'line' as const, showSymbol: false, silent: true, lineStyle: { color: '#6b7280' }, data: line(1) },
    ],
  };
}
