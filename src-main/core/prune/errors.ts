import { JouleError } from '../../common/errors';

/**
 * A pruning request Joule cannot carry out: a budget the minimum widths cannot meet, a model with
 * no prunable channel, an unknown criterion. The message names the budget, the layer or the value.
 */
export class PruningError extends JouleError {
  override name = 'PruningError';
}
