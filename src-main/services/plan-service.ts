/** The plan service: the joint variant-and-placement search, deployment bundles and their verification, as worker jobs. */
import path from 'node:path';
import type { DemoRequest, ExportRequest, PlanApi, PlanRequest, VerifyRequest } from '../common/api/plan';
import type { ProjectDocument } from '../common/project/schema';
import type { JouleJobs } from '../jobs/catalog';
import type { JobPool } from '../jobs/pool';
import { optionalInteger, requireNumber, requireObject, requireString } from './arguments';

function requireProject(value: unknown): { document: ProjectDocument; baseDir: string } {
  const project = requireObject<{ document: ProjectDocument; baseDir: string }>(value, 'project');
  requireObject(project.document, 'project.document');
  requireString(project.baseDir, 'project.baseDir');
  return project;
}

export class PlanService implements PlanApi {
  constructor(private readonly pool: JobPool<JouleJobs>) {}

  async startCompare(request: PlanRequest): Promise<string> {
    requireObject(request, 'request');
    const project = requireProject(request.project);
    if (request.timeLimitS !== undefined) requireNumber(request.timeLimitS, 'timeLimitS', 0);
    optionalInteger(request.threads, 'threads', 1);
    optionalInteger(request.maxIterations, 'maxIterations', 1);
    return this.pool.start('plan.compare', request, { title: `Plan of "${project.document.name}"` }).id;
  }

  async startExport(request: ExportRequest): Promise<string> {
    requireObject(request, 'request');
    const project = requireProject(request.project);
    requireString(request.outDir, 'outDir');
    return this.pool.start('plan.export', request, { title: `Export "${project.document.name}" to ${path.basename(request.outDir)}` }).id;
  }

  async startVerify(request: VerifyRequest): Promise<string> {
    requireObject(request, 'request');
    const dir = path.resolve(requireString(request.dir, 'dir'));
    optionalInteger(request.runs, 'runs', 1);
    return this.pool.start('plan.verify', { ...request, dir }, { title: `Verify ${path.basename(dir)}` }).id;
  }

  async startDemo(request: DemoRequest): Promise<string> {
    requireObject(request, 'request');
    const dir = request.dir === undefined ? undefined : path.resolve(requireString(request.dir, 'dir'));
    return this.pool.start('plan.demo', dir === undefined ? {} : { dir }, { title: 'Joule demo on the sample fleet' }).id;
  }
}
