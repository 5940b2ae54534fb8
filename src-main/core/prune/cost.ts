/**
 * What pruning saves: a cost of a whole model (joules per inference on a device, or MACs), and
 * per group the saving of one channel, measured by pricing the model with a few of the group's
 * channels removed (a finite difference over the shape-only model, in the spirit of NetAdapt:
 * the target metric itself guides the pruner, not a proxy).
 *
 * @example
 *   const joules = energyCost(library.get('jetson-nano-10w'), 'fp16');
 *   channelSavings(buildChannelGraph(model), joules, 1); // J saved per channel, per group
 */
import type { Precision } from '../../common/devices/profile';
import { analyzeModel } from '../energy/analyze';
import type { EnergyProfile } from '../energy/device-kind';
import { countModel } from '../onnx/count';
import type { Model } from '../onnx/ir';
import { applyRemoval } from './apply';
import type { ChannelGraph } from './channel-graph';

export interface CostModel {
  /** 'J' or 'MACs'. */
  unit: string;
  of(model: Model): number;
}

export function energyCost(profile: EnergyProfile, precision: Precision): CostModel {
  return { unit: 'J', of: (model) => analyzeModel(model, profile, { precision }).totals.energyJ };
}

export const macCost: CostModel = { unit: 'MACs', of: (model) => countModel(model).macs };

/**
 * Per group, the cost one channel saves: the model priced with `ceil(size / 8)` of its channels
 * removed (never below `minKeep` kept), the difference divided by the count. 0 for groups that
 * cannot lose a channel.
 */
export function channelSavings(graph: ChannelGraph, cost: CostModel, minKeep: (size: number) => number, base = cost.of(graph.model)): Float64Array {
  const savings = new Float64Array(graph.groups.length);
  for (const group of graph.groups) {
    const removable = group.size - minKeep(group.size);
    if (!group.prunable || removable <= 0) continue;
    const count = Math.min(removable, Math.ceil(group.size / 8));
    const mask = new Uint8Array(group.size);
    mask.fill(1, group.size - count);
    const priced = cost.of(applyRemoval(graph, new Map([[group.id, mask]]), { shapesOnly: true }));
    savings[group.id] = Math.max(0, (base - priced) / count);
  }
  return savings;
}
