import { JouleError } from '../../../common/errors';

/**
 * The gradient graph cannot be built: an operator without a gradient rule on the path from
 * the weights to the loss, an option naming an unknown initializer, a model outside what the
 * autodiff supports. Messages are one sentence naming the node or tensor at fault.
 *
 * @example new GradientError("No gradient for operator 'Resize' at node 'resize_3'.")
 */
export class GradientError extends JouleError {
  override name = 'GradientError';
}

/** The message for an operator that has no gradient rule. */
export function noGradient(opType: string, nodeName: string): GradientError {
  return new GradientError(`No gradient for operator '${opType}' at node '${nodeName}'.`);
}
