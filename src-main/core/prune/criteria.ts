/**
 * A criterion name turned into what the pruner needs: how channels are scored, which cost they
 * are ranked against, and whether layers are pruned by one global ranking or uniformly.
 */
import type { PruneCriterion } from '../../common/pruning/criteria';
import type { Model } from '../onnx/ir';
import type { Batch } from '../train/data/batches';
import { activationMeans, taylorTerms, type CalibrationSettings } from './calibration';
import type { ChannelGraph } from './channel-graph';
import { macCost, type CostModel } from './cost';
import { activationCriterion, normCriterion, randomCriterion, slimCriterion, taylorCriterion, type Criterion } from './importance';
import type { PrunerSettings } from './pruner';

export interface CriterionInputs {
  /** The energy model's cost on the target device (what energy-aware criteria rank against). */
  energy: CostModel;
  /** Fresh calibration batches (called once per scoring). */
  calibration: () => Iterable<Batch>;
  calibrate: CalibrationSettings;
  seed: number;
}

export function criterionPlan(name: PruneCriterion, inputs: CriterionInputs): Pick<PrunerSettings, 'criterion' | 'rankBy' | 'allocation'> {
  const taylor = async (model: Model): Promise<Criterion> => taylorCriterion(model, await taylorTerms(model, inputs.calibration(), inputs.calibrate));
  const l1 = async (model: Model) => normCriterion(model, 1);
  switch (name) {
    case 'energy-taylor':
      return { criterion: taylor, rankBy: inputs.energy, allocation: 'global' };
    case 'energy-l1':
      return { criterion: l1, rankBy: inputs.energy, allocation: 'global' };
    case 'macs-taylor':
      return { criterion: taylor, rankBy: macCost, allocation: 'global' };
    case 'taylor':
      return { criterion: taylor, rankBy: null, allocation: 'global' };
    case 'l1':
      return { criterion: l1, rankBy: null, allocation: 'global' };
    case 'l2':
      return { criterion: async (model) => normCriterion(model, 2), rankBy: null, allocation: 'global' };
    case 'slim':
      return { criterion: async (model) => slimCriterion(model), rankBy: null, allocation: 'global' };
    case 'activation':
      return {
        criterion: async (_model: Model, graph: ChannelGraph) => activationCriterion(await activationMeans(graph, inputs.calibration(), inputs.calibrate)),
        rankBy: null,
        allocation: 'global',
      };
    case 'uniform-l1':
      return { criterion: l1, rankBy: null, allocation: 'uniform' };
    case 'random':
      return { criterion: async () => randomCriterion(inputs.seed), rankBy: null, allocation: 'global' };
    default: {
      const unknown: never = name;
      throw new Error(`Unknown pruning criterion ${JSON.stringify(unknown)}.`);
    }
  }
}
