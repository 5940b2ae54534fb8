/** Job handlers of the production worker, one per kind of `JouleJobs`. */
import { checkModelFiles } from '../core/project/check-models';
import type { JobHandlers } from './context';
import type { JouleJobs } from './catalog';

export const handlers: JobHandlers<JouleJobs> = {
  'project.check': (input, context) => checkModelFiles(input.models, input.baseDir, context),
};
