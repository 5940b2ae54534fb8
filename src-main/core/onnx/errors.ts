import { JouleError } from '../../common/errors';

/**
 * Anything wrong with an ONNX model: a file that is not ONNX, a broken graph, an attribute of
 * the wrong kind, a shape that cannot be inferred. Messages are one sentence naming the file,
 * node or tensor at fault.
 */
export class OnnxError extends JouleError {
  override name = 'OnnxError';
  constructor(message: string, details?: unknown) {
    // Names in a model (tensors, nodes, inputs) may hold line breaks; a message stays one line.
    super(message.replace(/\r\n|\n|\r/g, (b) => (b === '\r' ? '\\r' : '\\n')), details);
  }
}

/** An operator Joule has no shape rule for, named with its node and opset. */
export class UnsupportedOperatorError extends OnnxError {
  override name = 'UnsupportedOperatorError';
  constructor(
    readonly opType: string,
    readonly nodeName: string,
    readonly opset: number,
    readonly domain = '',
  ) {
    const op = domain && domain !== 'ai.onnx' ? `${domain}.${opType}` : opType;
    super(`Unsupported operator '${op}' at node '${nodeName}' (opset ${opset}).`);
  }
}

/**
 * The error with the model file named: shape inference, pruning and analysis errors name a node or
 * a tensor but not the file they came from (24 of 128 probed errors, issue 14). Whoever knows the
 * file calls this where the error leaves; other errors and errors already naming it pass unchanged.
 *
 * @example throw withModelFile(e, 'models/net.onnx') // "In 'models/net.onnx': Node 'conv_0' (Conv): ..."
 */
export function withModelFile(error: unknown, file: string | null): unknown {
  if (!(error instanceof OnnxError) || file === null || error.message.includes(file)) return error;
  error.message = `In '${file}': ${error.message}`;
  return error;
}
