/** The job kinds Joule runs in its workers, with their input and output types. */
import type { ProjectCheckReport } from '../common/api/project';
import type { ModelRef } from '../common/project/schema';

export type JouleJobs = {
  'project.check': { input: { models: ModelRef[]; baseDir: string }; output: ProjectCheckReport };
};

export type JouleJobKind = keyof JouleJobs & string;
