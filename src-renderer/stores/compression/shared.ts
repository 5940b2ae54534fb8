/**
 * The energy-budget wizard's pure logic: budgets as the planner states them turned into joules,
 * the options a run starts, their file names, the run record the project keeps, and Pareto fronts.
 */
import type { PruneBudget, PruneCriterion, PruneReport } from '../../../src-main/common/api/pruning';
import { batteryBudgetJ } from '../../../src-main/common/pruning/budget';
import type { CompressionOption, ProjectDocument } from '../../../src-main/common/project/schema';

export const budgetModes = ['mj', 'percent', 'battery'] as const;
export type BudgetMode = (typeof budgetModes)[number];

/** Live numbers of a prune job: energy after each pruning step, accuracy while fine-tuning ([step, value] pairs). */
export interface LivePoints {
  energy: [number, number][];
  accuracy: [number, number][];
  budgetJ: number | null;
}

/** What the planner typed for one device type: a list (a sweep) of mJ or % values, or a battery. */
export interface DeviceTarget {
  deviceType: string;
  enabled: boolean;
  mode: BudgetMode;
  /** `5` or `80, 60, 40`: mJ per inference, or % of the original energy. */
  values: string;
  battery: { wh: number; ratePerS: number; hours: number };
}

/** The numbers of a list like `80, 60 40`; empty when any entry is not a positive number. */
export function parseList(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const values = parts.map(Number);
  return values.length && values.every((v) => Number.isFinite(v) && v > 0) ? values : [];
}

/** The budgets a target asks for, as the pruning request states them; empty when the input is not valid. */
export function targetBudgets(target: DeviceTarget): PruneBudget[] {
  switch (target.mode) {
    case 'mj':
      return parseList(target.values).map((mj) => ({ joules: mj / 1e3 }));
    case 'percent':
      return parseList(target.values).filter((p) => p < 100).map((p) => ({ fraction: p / 100 }));
    case 'battery': {
      const { wh, ratePerS, hours } = target.battery;
      return wh > 0 && ratePerS > 0 && hours > 0 ? [{ battery: { wh, ratePerS, hours } }] : [];
    }
    default: {
      const unknown: never = target.mode;
      throw new Error(`Unknown budget mode ${String(unknown)}`);
    }
  }
}

/** A budget in joules given the device's original energy and idle power. */
export function budgetJoules(budget: PruneBudget, originalJ: number, idleW: number): number {
  if ('fraction' in budget) return budget.fraction * originalJ;
  if ('joules' in budget) return budget.joules;
  return batteryBudgetJ(budget.battery, idleW);
}

/** A short label for file names and tables: `5mJ`, `60pct`, `battery`. */
export function budgetLabel(budget: PruneBudget): string {
  if ('fraction' in budget) return `${Math.round(budget.fraction * 100)}pct`;
  if ('joules' in budget) return `${Number((budget.joules * 1e3).toPrecision(3))}mJ`;
  return `battery${budget.battery.hours}h`;
}

/** Targets for the project's device types, prefilled from its budgets (mJ per inference) where it has them. */
export function initialTargets(document: ProjectDocument): DeviceTarget[] {
  const types = [...new Set(document.devices.map((d) => d.type))];
  return types.map((deviceType) => {
    const budget = document.budgets.find((b) => b.deviceType === deviceType && b.maxEnergyPerInferenceMJ !== undefined);
    return {
      deviceType,
      enabled: !!budget,
      mode: budget ? 'mj' : 'percent',
      values: budget ? String(budget.maxEnergyPerInferenceMJ) : '60',
      battery: { wh: 20, ratePerS: 1, hours: 8 },
    };
  });
}

/** `lenet5-raspberry-pi-4-60pct-energy-taylor.onnx`: unique per model, device, budget and criterion. */
export function optionFileName(modelLabel: string, deviceType: string, budget: PruneBudget, criterion: PruneCriterion): string {
  const stem = modelLabel.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'model';
  return `${stem}-${deviceType}-${budgetLabel(budget)}-${criterion}.onnx`;
}

/** The option a finished prune becomes in the project (its file relative to the project). */
export function optionOf(id: string, relativePath: string, deviceType: string, report: PruneReport): CompressionOption {
  return {
    id,
    deviceType,
    criterion: report.criterion,
    budgetJ: report.budgetJ,
    path: relativePath,
    sha256: report.sha256,
    sizeBytes: report.sizeBytes,
    energyJ: report.pruned.energyJ,
    originalEnergyJ: report.original.energyJ,
    accuracy: report.pruned.accuracy,
    originalAccuracy: report.original.accuracy,
    latencyMs: report.pruned.latencyMs,
    measuredMs: report.pruned.measuredMs,
    originalMeasuredMs: report.original.measuredMs,
    macs: report.pruned.macs,
    params: report.pruned.params,
    memoryBytes: report.pruned.memoryBytes,
    channels: report.channels,
  };
}

/** Options no other option beats on both energy (lower) and accuracy (higher): the ones worth choosing from. */
export function paretoFront(options: readonly CompressionOption[]): CompressionOption[] {
  const scored = options.filter((o) => o.accuracy !== null);
  return scored
    .filter((o) => !scored.some((p) => p !== o && p.energyJ <= o.energyJ && p.accuracy! >= o.accuracy! && (p.energyJ < o.energyJ || p.accuracy! > o.accuracy!)))
    .sort((a, b) => a.energyJ - b.energyJ);
}

/** Fine-tuning throughput of the training engine on the 2-core machine of docs/bench-prune.md: multiply-accumulates per second, forward and backward. */
const TRAINING_MACS_PER_S = 1.4e10;

/**
 * Rough minutes one option takes: fine-tuning (about three forward passes per image, on a model
 * pruned to the budget's share of the MACs) plus pruning steps and measurements.
 */
export function estimateMinutes(options: { macs: number; trainImages: number; epochs: number; fraction: number; thorough: boolean }): number {
  const perEpochS = (options.trainImages * 3 * options.macs * Math.max(0.1, options.fraction)) / TRAINING_MACS_PER_S;
  const betweenS = options.thorough ? (1 / 0.05) * ((6400 * 3 * options.macs * 0.6) / TRAINING_MACS_PER_S) : 0;
  return (perEpochS * options.epochs + betweenS + 20) / 60;
}
