/**
 * Node power states (docs/placement.md, "Power states"): an always-on node spends its idle power
 * whatever the placement, so that energy is a constant of the plan; a node that may sleep spends
 * it (and its wake-up energy) only in a period in which it serves something.
 */

export const powerStates = ['always-on', 'may-sleep'] as const;
export type PowerState = (typeof powerStates)[number];

/**
 * A node's power state: as given, else always-on on mains (no energy budget) and may-sleep on a
 * budget (battery, solar). An accelerator has its host's.
 *
 * @example powerStateOf({ energyBudgetJ: 5000 }) // 'may-sleep'
 */
export function powerStateOf(node: { powerState?: PowerState; energyBudgetJ?: number }): PowerState {
  return node.powerState ?? (node.energyBudgetJ === undefined ? 'always-on' : 'may-sleep');
}
