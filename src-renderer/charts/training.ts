/** echarts option of the live training curves: loss and accuracy against the step. */

export interface TrainingPoint {
  step: number;
  loss: number;
  accuracy: number;
}

export interface EpochPoint {
  step: number;
  validationAccuracy: number | null;
}

export function trainingCurvesOption(points: TrainingPoint[], epochs: EpochPoint[], labels: { loss: string; accuracy: string; validation: string; step: string }) {
  return {
    animation: false,
    grid: { left: 56, right: 56, top: 40, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const },
    xAxis: { type: 'value' as const, name: labels.step, min: 0 },
    yAxis: [
      { type: 'value' as const, name: labels.loss, min: 0 },
      { type: 'value' as const, name: labels.accuracy, min: 0, max: 1, splitLine: { show: false } },
    ],
    series: [
      { name: labels.loss, type: 'line' as const, showSymbol: false, itemStyle: { color: '#ef4444' }, data: points.map((p) => [p.step, p.loss]) },
      { name: labels.accuracy, type: 'line' as const, yAxisIndex: 1, showSymbol: false, itemStyle: { color: '#3b82f6' }, data: points.map((p) => [p.step, p.accuracy]) },
      {
        name: labels.validation,
        type: 'line' as const,
        yAxisIndex: 1,
        symbolSize: 8,
        itemStyle: { color: '#10b981' },
        data: epochs.filter((e) => e.validationAccuracy !== null).map((e) => [e.step, e.validationAccuracy]),
      },
    ],
  };
}
