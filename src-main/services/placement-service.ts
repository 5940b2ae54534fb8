/** The placement service: a project's placement problem and algorithm runs, as worker jobs. */
import { placementAlgorithms, type PlacementApi, type PlacementRunRequest } from '../common/api/placement';
import type { ProjectDocument } from '../common/project/schema';
import { InvalidRequestError } from '../common/errors';
import type { JouleJobs } from '../jobs/catalog';
import type { JobPool } from '../jobs/pool';
import { requireObject, requireString } from './arguments';

/** The MIP may sit inside HiGHS for its whole time limit without a heartbeat. */
const hangAfter = (request: PlacementRunRequest) => ((request.timeLimitS ?? 10) + 60) * 1000;

export class PlacementService implements PlacementApi {
  constructor(
    private readonly pool: JobPool<JouleJobs>,
    private readonly resourcesDir: string,
  ) {}

  async startBuildProblem(project: { document: ProjectDocument; baseDir: string }): Promise<string> {
    requireObject(project, 'project');
    requireObject(project.document, 'document');
    requireString(project.baseDir, 'baseDir');
    return this.pool.start('placement.problem', { project, env: { resourcesDir: this.resourcesDir } }, { title: `Placement problem of "${project.document.name}"` }).id;
  }

  async startRun(request: PlacementRunRequest): Promise<string> {
    requireObject(request, 'request');
    requireObject(request.problem, 'problem');
    if (!(placementAlgorithms as readonly string[]).includes(request.algo)) {
      throw new InvalidRequestError(`algo: expected one of ${placementAlgorithms.join(', ')}, got ${JSON.stringify(request.algo)}.`);
    }
    return this.pool.start('placement.run', { request }, { title: `Placement by ${request.algo}`, hangTimeoutMs: hangAfter(request) }).id;
  }
}
