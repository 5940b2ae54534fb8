/** echarts option for the per-site summary of the inventory: nodes and daily energy budget. */
import type { ProjectDocument } from '../../src-main/common/project/schema';

export interface SiteSummaryRow {
  site: string;
  nodes: number;
  /** Sum of count x Wh/day over the site's rows on a daily budget. */
  dailyBudgetWh: number;
}

/** A count that can enter totals: a positive whole number (an invalid cell, shown in red, counts nothing). */
export function validCount(count: unknown): number {
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0;
}

export function siteSummary(document: ProjectDocument): SiteSummaryRow[] {
  const rows = new Map(document.sites.map((s) => [s.id, { site: s.name, nodes: 0, dailyBudgetWh: 0 }]));
  for (const d of document.devices) {
    const row = rows.get(d.siteId);
    const count = validCount(d.count);
    if (!row || !count) continue;
    row.nodes += count;
    if (d.power === 'daily-budget' && typeof d.energyWh === 'number' && d.energyWh >= 0) row.dailyBudgetWh += count * d.energyWh;
  }
  return [...rows.values()];
}

export function siteSummaryOption(rows: SiteSummaryRow[], labels: { nodes: string; energy: string; energyUnit: string }) {
  return {
    animation: false,
    grid: { left: 48, right: 64, top: 36, bottom: 28 },
    legend: { top: 0, data: [labels.nodes, labels.energy] },
    tooltip: { trigger: 'axis' as const },
    xAxis: { type: 'category' as const, data: rows.map((r) => r.site) },
    yAxis: [
      { type: 'value' as const, name: labels.nodes, minInterval: 1 },
      { type: 'value' as const, name: labels.energyUnit, splitLine: { show: false } },
    ],
    series: [
      { name: labels.nodes, type: 'bar' as const, data: rows.map((r) => r.nodes), itemStyle: { color: '#3b82f6' } },
      { name: labels.energy, type: 'bar' as const, yAxisIndex: 1, data: rows.map((r) => r.dailyBudgetWh), itemStyle: { color: '#f59e0b' } },
    ],
  };
}
