/**
 * The energy-constrained pruner: removes the least important channels, in small steps, until the
 * model's cost (joules per inference on the target device) meets the budget.
 *
 * Global allocation (the pruner proper): every step scores the current model's channels with the
 * criterion, divides each score by what the channel saves (energy-aware: the energy model's
 * saving on the target device; MAC-constrained: MACs saved), and removes the lowest until the
 * estimated saving reaches the step's share, then prices the model again. Scores that are not
 * comparable across groups (weight norms) are divided by their group's mean first.
 *
 * Uniform allocation (the baseline of Li et al., ICLR 2017): every group loses the same fraction
 * of its channels, the lowest-scoring ones, the fraction found by bisection on the budget.
 *
 * Both keep `minChannels` per group and round kept counts to multiples of `round`. A budget the
 * minimum widths cannot meet is refused before any work, with the cost they reach.
 */
import type { Model } from '../onnx/ir';
import { silentProgress, type Progress } from '../progress';
import { applyRemoval, type Removal } from './apply';
import { buildChannelGraph, type ChannelGraph, type ChannelGroup } from './channel-graph';
import { channelSavings, type CostModel } from './cost';
import { PruningError } from './errors';
import type { Criterion } from './importance';

export interface PrunerSettings {
  /** The cost the pruned model must not exceed, in `cost.unit`. */
  budget: number;
  /** What the budget is in: energy per inference on the target device. */
  cost: CostModel;
  /** Channels are ranked by importance per unit of this cost saved; null ranks by importance alone. */
  rankBy: CostModel | null;
  /** Scores the channels of the current model; called again after every step. */
  criterion: (model: Model, graph: ChannelGraph) => Promise<Criterion>;
  allocation: 'global' | 'uniform';
  /** Fewest channels a group keeps (default 1). */
  minChannels?: number;
  /** Kept channel counts are multiples of this (default 1). */
  round?: number;
  /** At most this fraction of the original cost is removed per step (default 0.1). */
  stepFraction?: number;
  /** Fine-tunes briefly between steps; returns the model with updated weights. */
  between?: (model: Model, step: number) => Promise<Model>;
  progress?: Progress;
  onStep?: (step: PruneStep) => void;
}

export interface PruneStep {
  step: number;
  /** Cost after the step, in `cost.unit`. */
  cost: number;
  removedChannels: number;
}

export interface PruneOutcome {
  model: Model;
  originalCost: number;
  cost: number;
  steps: PruneStep[];
  /** Groups left alone, by their first producer, with the reason. */
  skipped: { node: string; reason: string }[];
}

const MAX_STEPS = 500;

/** The kept count a group may have: all of it, or a multiple of `round` of at least `minKeep`. */
function keptAllowed(size: number, kept: number, minChannels: number, round: number): number {
  if (kept >= size) return size;
  const floor = Math.max(round, Math.ceil(minChannels / round) * round);
  if (floor >= size) return size;
  return Math.max(floor, Math.floor(kept / round) * round);
}

/**
 * Throws a PruningError, with the cost the minimum widths reach, when `budget` is below it; the
 * check is cheap (shapes only), so callers make it before loading any data.
 */
export function checkBudget(model: Model, budget: number, cost: CostModel, widths: { minChannels?: number; round?: number } = {}, graph = buildChannelGraph(model)): void {
  const minChannels = Math.max(1, widths.minChannels ?? 1);
  const round = Math.max(1, widths.round ?? 1);
  const originalCost = cost.of(model);
  if (originalCost <= budget) return;
  const minKeep = (size: number) => keptAllowed(size, 0, minChannels, round);
  const narrowest = cost.of(applyRemoval(graph, uniformRemoval(graph.groups, () => 1, () => null, minKeep), { shapesOnly: true }));
  if (narrowest > budget) {
    throw new PruningError(
      `The budget of ${format(budget, cost.unit)} cannot be met: with every prunable layer at its minimum width (${minChannels} channel${minChannels === 1 ? '' : 's'}${round > 1 ? `, multiples of ${round}` : ''}) the model still costs ${format(narrowest, cost.unit)}, against ${format(originalCost, cost.unit)} unpruned.`,
    );
  }
}

export async function pruneToBudget(model: Model, settings: PrunerSettings): Promise<PruneOutcome> {
  const minChannels = Math.max(1, settings.minChannels ?? 1);
  const round = Math.max(1, settings.round ?? 1);
  const progress = settings.progress ?? silentProgress;
  const minKeep = (size: number) => keptAllowed(size, 0, minChannels, round);
  const graph = buildChannelGraph(model);
  const skipped = graph.groups.filter((g) => !g.prunable).map((g) => ({ node: g.producers[0], reason: g.reason ?? '' }));
  const originalCost = settings.cost.of(model);
  if (originalCost <= settings.budget) return { model, originalCost, cost: originalCost, steps: [], skipped };
  checkBudget(model, settings.budget, settings.cost, { minChannels, round }, graph);
  const run = settings.allocation === 'uniform' ? pruneUniform : pruneGlobal;
  const { model: pruned, steps } = await run(model, graph, settings, { minKeep, round, minChannels, originalCost, progress });
  return { model: pruned, originalCost, cost: steps.at(-1)?.cost ?? originalCost, steps, skipped };
}

interface RunContext {
  minKeep: (size: number) => number;
  round: number;
  minChannels: number;
  originalCost: number;
  progress: Progress;
}

function format(value: number, unit: string): string {
  if (unit !== 'J') return `${(value / 1e6).toPrecision(4)} M ${unit}`;
  return value >= 1e-3 ? `${(value * 1e3).toPrecision(4)} mJ` : `${(value * 1e6).toPrecision(4)} µJ`;
}

/** Per group: the `count(group)` lowest-scoring channels. */
function uniformRemoval(groups: ChannelGroup[], fraction: (g: ChannelGroup) => number, scores: (g: ChannelGroup) => Float32Array | null, minKeep: (size: number) => number, round = 1, minChannels = 1): Removal {
  const removal: Removal = new Map();
  for (const group of groups) {
    if (!group.prunable) continue;
    const kept = fraction(group) >= 1 ? minKeep(group.size) : keptAllowed(group.size, Math.ceil(group.size * (1 - fraction(group))), minChannels, round);
    const count = group.size - kept;
    if (count <= 0) continue;
    removal.set(group.id, lowest(scores(group), group.size, count));
  }
  return removal;
}

/** A mask of the `count` lowest of `scores` (the last channels when there are no scores). */
function lowest(scores: Float32Array | null, size: number, count: number): Uint8Array {
  const mask = new Uint8Array(size);
  if (!scores) {
    mask.fill(1, size - count);
    return mask;
  }
  const order = [...scores.keys()].sort((a, b) => scores[a] - scores[b] || a - b);
  for (let i = 0; i < count; i++) mask[order[i]] = 1;
  return mask;
}

async function pruneUniform(model: Model, graph: ChannelGraph, settings: PrunerSettings, ctx: RunContext): Promise<{ model: Model; steps: PruneStep[] }> {
  const criterion = await settings.criterion(model, graph);
  const scores = new Map(graph.groups.filter((g) => g.prunable).map((g) => [g.id, criterion.score(g)]));
  const removalAt = (ratio: number) => uniformRemoval(graph.groups, () => ratio, (g) => scores.get(g.id) ?? null, ctx.minKeep, ctx.round, ctx.minChannels);
  const costAt = (ratio: number) => settings.cost.of(applyRemoval(graph, removalAt(ratio), { shapesOnly: true }));
  // The smallest ratio that meets the budget; cost falls as the ratio grows (in steps, with rounding).
  let low = 0;
  let high = 1;
  for (let i = 0; i < 24; i++) {
    ctx.progress.checkpoint();
    const mid = (low + high) / 2;
    if (costAt(mid) <= settings.budget) high = mid;
    else low = mid;
  }
  const removal = removalAt(high);
  const pruned = applyRemoval(graph, removal);
  const cost = settings.cost.of(pruned);
  const step = { step: 1, cost, removedChannels: [...removal.values()].reduce((n, m) => n + m.reduce((a, b) => a + b, 0), 0) };
  settings.onStep?.(step);
  return { model: pruned, steps: [step] };
}

async function pruneGlobal(model: Model, first: ChannelGraph, settings: PrunerSettings, ctx: RunContext): Promise<{ model: Model; steps: PruneStep[] }> {
  const steps: PruneStep[] = [];
  const stepShare = (settings.stepFraction ?? 0.1) * ctx.originalCost;
  let current = model;
  let graph = first;
  let cost = ctx.originalCost;
  for (let step = 1; cost > settings.budget; step++) {
    if (step > MAX_STEPS) throw new PruningError(`Pruning did not meet the budget within ${MAX_STEPS} steps (the model costs ${format(cost, settings.cost.unit)}).`);
    ctx.progress.checkpoint();
    const removal = await chooseStep(graph, current, settings, ctx, Math.min(cost - settings.budget, stepShare), cost);
    const removedChannels = [...removal.values()].reduce((n, m) => n + m.reduce((a, b) => a + b, 0), 0);
    if (removedChannels === 0) throw new PruningError(`Every prunable layer is at its minimum width and the model still costs ${format(cost, settings.cost.unit)}, above the budget of ${format(settings.budget, settings.cost.unit)}.`);
    current = applyRemoval(graph, removal);
    if (settings.between) current = await settings.between(current, step);
    cost = settings.cost.of(current);
    const record = { step, cost, removedChannels };
    steps.push(record);
    settings.onStep?.(record);
    ctx.progress.report(Math.min(1, (ctx.originalCost - cost) / Math.max(1e-30, ctx.originalCost - settings.budget)), `Pruning step ${step}: ${format(cost, settings.cost.unit)}`);
    if (cost > settings.budget) graph = buildChannelGraph(current);
  }
  return { model: current, steps };
}

/** The channels one step removes: lowest importance per unit saved first, until the estimated saving reaches `target`. */
async function chooseStep(graph: ChannelGraph, model: Model, settings: PrunerSettings, ctx: RunContext, target: number, base: number): Promise<Removal> {
  const criterion = await settings.criterion(model, graph);
  const saving = channelSavings(graph, settings.cost, ctx.minKeep, base);
  const rankSaving = settings.rankBy === null ? null : settings.rankBy === settings.cost ? saving : channelSavings(graph, settings.rankBy, ctx.minKeep);
  const prunable = graph.groups.filter((g) => g.prunable && g.size > ctx.minKeep(g.size) && saving[g.id] > 0);
  const meanRank = rankSaving ? mean(prunable.map((g) => rankSaving[g.id]).filter((s) => s > 0)) : 1;
  const candidates: { group: number; channel: number; rank: number }[] = [];
  const scores = new Map<number, Float32Array>();
  for (const group of prunable) {
    const raw = criterion.score(group);
    const norm = criterion.comparable ? 1 : mean([...raw]) || 1;
    scores.set(group.id, raw);
    const per = rankSaving ? rankSaving[group.id] / meanRank : 1;
    raw.forEach((score, channel) => candidates.push({ group: group.id, channel, rank: per > 0 ? score / norm / per : Infinity }));
  }
  candidates.sort((a, b) => a.rank - b.rank);
  const count = new Map<number, number>();
  let estimate = 0;
  for (const c of candidates) {
    if (estimate >= target) break;
    const group = graph.groups[c.group];
    const n = count.get(c.group) ?? 0;
    if (group.size - n <= ctx.minKeep(group.size)) continue;
    count.set(c.group, n + 1);
    estimate += saving[c.group];
  }
  const removal: Removal = new Map();
  for (const [g, n] of count) {
    const group = graph.groups[g];
    const kept = keptAllowed(group.size, group.size - n, ctx.minChannels, ctx.round);
    if (kept < group.size) removal.set(g, lowest(scores.get(g)!, group.size, group.size - kept));
  }
  return removal;
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
