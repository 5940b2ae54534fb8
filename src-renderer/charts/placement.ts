/**
 * Pure helpers of the placement screen: the map's grouping (sites -> nodes -> workloads), the
 * colour of a node by utilization, per-node bars and the algorithms' convergence curves.
 */
import type { PlacementReport } from '../../src-main/common/placement/checker';
import { CLOUD_DEVICE_TYPE, type PlacementProblem } from '../../src-main/common/placement/problem';

export interface MapNode {
  id: string;
  deviceType: string;
  utilization: number;
  energyJ: number;
  workloads: string[];
}

export interface MapSite {
  site: string;
  nodes: MapNode[];
}

/** Nodes grouped by site in problem order, with their workloads from the checker's report; the cloud last. */
export function placementMap(problem: PlacementProblem, report: PlacementReport): MapSite[] {
  const byNode = new Map(report.nodes.map((n) => [n.nodeId, n]));
  const sites = new Map<string, MapSite>();
  for (const node of problem.nodes) {
    const r = byNode.get(node.id);
    let site = sites.get(node.site);
    if (!site) sites.set(node.site, (site = { site: node.site, nodes: [] }));
    site.nodes.push({ id: node.id, deviceType: node.deviceType, utilization: r?.utilization ?? 0, energyJ: r?.energyJ ?? 0, workloads: r?.workloadIds ?? [] });
  }
  const cloud = problem.cloud;
  if (cloud) {
    // Its utilization is the share of the uplink in use; its energy is the devices' transmissions.
    const r = byNode.get(cloud.id);
    sites.set(`\u0000${cloud.id}`, { site: cloud.site, nodes: [{ id: cloud.id, deviceType: CLOUD_DEVICE_TYPE, utilization: r?.utilization ?? 0, energyJ: r?.energyJ ?? 0, workloads: r?.workloadIds ?? [] }] });
  }
  return [...sites.values()];
}

/** Green when idle, through amber, to red at full load; overloaded nodes are dark red. */
export function utilizationColor(u: number): string {
  if (u > 1 + 1e-9) return '#7f1d1d';
  const t = Math.max(0, Math.min(1, u));
  const hue = 130 - 130 * t;
  return `hsl(${hue.toFixed(0)} 65% ${u === 0 ? 92 : 80 - 25 * t}%)`;
}

/** Bars of utilization and a line of energy per node; `names` labels the axis (node id -> name). */
export function nodeBarsOption(map: MapSite[], labels: { utilization: string; energy: string }, names: Record<string, string> = {}) {
  const nodes = map.flatMap((s) => s.nodes);
  return {
    animation: false,
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } },
    dataZoom: nodes.length > 50 ? [{ type: 'slider' as const, bottom: 8 }, { type: 'inside' as const }] : [],
    grid: { left: 56, right: 64, top: 36, bottom: 120 },
    xAxis: { type: 'category' as const, data: nodes.map((n) => names[n.id] ?? n.id), axisLabel: { rotate: 60, fontSize: 10, width: 110, overflow: 'truncate' as const } },
    yAxis: [
      { type: 'value' as const, name: '%', max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10) },
      { type: 'value' as const, name: 'kJ', splitLine: { show: false } },
    ],
    series: [
      { name: labels.utilization, type: 'bar' as const, data: nodes.map((n) => ({ value: n.utilization * 100, itemStyle: { color: utilizationColor(n.utilization) } })) },
      { name: labels.energy, type: 'line' as const, yAxisIndex: 1, symbolSize: 5, itemStyle: { color: '#111827' }, data: nodes.map((n) => n.energyJ / 1000) },
    ],
  };
}

export interface ConvergenceRun {
  algo: string;
  trace: [number, number][];
  ms: number;
  /** The objective of the run's placement, as its table row shows it. */
  objective: number;
  feasible: boolean;
}

/**
 * Best objective over time, one step line per algorithm, held until the run ended and ending at
 * the objective its table row shows (a feasible run's line never ends anywhere else).
 * `name` spells an algorithm out for the legend.
 */
export function convergenceOption(runs: ConvergenceRun[], labels: { time: string; objective: string }, name: (algo: string) => string = (a) => a) {
  return {
    animation: false,
    grid: { left: 80, right: 24, top: 36, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' as const },
    xAxis: { type: 'log' as const, name: labels.time, min: 1 },
    yAxis: { type: 'value' as const, name: labels.objective, scale: true },
    series: runs
      .filter((r) => r.trace.length)
      .map((r) => ({
        name: name(r.algo),
        type: 'line' as const,
        step: 'end' as const,
        showSymbol: false,
        data: [...r.trace.map(([ms, v]) => [Math.max(1, ms), v]), [Math.max(1, r.ms), r.feasible ? r.objective : r.trace[r.trace.length - 1][1]]],
      })),
  };
}
