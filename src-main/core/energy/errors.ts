import { JouleError } from '../../common/errors';

/**
 * A request the energy model cannot answer: a precision the device lacks, a profile with
 * impossible figures, a partition asked of a profile in normalized units. The message names
 * the device, the precision or the option at fault.
 */
export class EnergyModelError extends JouleError {
  override name = 'EnergyModelError';
}
