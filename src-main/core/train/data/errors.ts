import { JouleError } from '../../../common/errors';

/**
 * Anything wrong with a training dataset: a missing or malformed source, an image that cannot
 * be decoded, a bad option. Messages are one sentence naming the file or folder at fault.
 */
export class DatasetError extends JouleError {
  override name = 'DatasetError';
}
