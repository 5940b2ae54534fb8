/** The pruning criteria by name: what ranks channels, and against which cost. */

export const pruneCriteria = ['energy-taylor', 'energy-l1', 'taylor', 'l1', 'l2', 'slim', 'activation', 'uniform-l1', 'random', 'macs-taylor'] as const;
export type PruneCriterion = (typeof pruneCriteria)[number];

/** One line per criterion, for help texts and the wizard. */
export const criterionDescriptions: Record<PruneCriterion, string> = {
  'energy-taylor': 'Taylor importance (loss change) per joule saved on the device: the default',
  'energy-l1': 'filter L1 norm per joule saved on the device',
  taylor: 'Taylor importance alone, ignoring cost',
  l1: 'filter L1 norm alone (global ranking)',
  l2: 'filter L2 norm alone (global ranking)',
  slim: 'BatchNorm scale |gamma| (network slimming)',
  activation: 'mean activation magnitude on calibration images',
  'uniform-l1': 'baseline: the same fraction of every layer, lowest L1 first (Li et al. 2017)',
  random: 'baseline: random channels',
  'macs-taylor': 'baseline: Taylor importance per MAC saved (MAC-constrained)',
};
