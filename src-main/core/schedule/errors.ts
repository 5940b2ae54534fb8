import { JouleError } from '../../common/errors';

/**
 * A placement problem that cannot be read, compiled or solved: a bad problem file, a GAP file
 * that does not follow the OR-Library format, an option out of range. The message names the
 * file, the JSON path or the option at fault.
 */
export class ScheduleError extends JouleError {
  override name = 'ScheduleError';
}
