/** The plan service: the joint variant-and-placement search, deployment bundles and their verification, as worker jobs. */
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { DemoRequest, ExportRequest, PlanApi, PlanRequest, VerifyRequest } from '../common/api/plan';
import type { ProjectDocument } from '../common/project/schema';
import type { JouleJobs } from '../jobs/catalog';
import type { JobExecutor } from '../jobs/executor';
import { MAX_RUNS } from '../common/limits';
import { optionalInteger, optionalThreads, optionalTimeLimit, requireObject, requireString } from './arguments';
import { checkProjectModels, type FileAccess } from './file-access';

function requireProject(value: unknown): { document: ProjectDocument; baseDir: string } {
  const project = requireObject<{ document: ProjectDocument; baseDir: string }>(value, 'project');
  requireObject(project.document, 'project.document');
  requireString(project.baseDir, 'project.baseDir');
  return project;
}

export class PlanService implements PlanApi {
  constructor(
    private readonly pool: JobExecutor<JouleJobs>,
    private readonly access: FileAccess,
  ) {}

  async startCompare(request: PlanRequest): Promise<string> {
    requireObject(request, 'request');
    const project = requireProject(request.project);
    optionalTimeLimit(request.timeLimitS, 'timeLimitS');
    optionalThreads(request.threads, 'threads');
    optionalInteger(request.maxIterations, 'maxIterations', 1);
    await checkProjectModels(this.access, project, 'project');
    return this.pool.start('plan.compare', request, { title: `Plan of "${project.document.name}"` }).id;
  }

  async startExport(request: ExportRequest): Promise<string> {
    requireObject(request, 'request');
    const project = requireProject(request.project);
    const outDir = await this.access.writable(requireString(request.outDir, 'outDir'), 'outDir', 'folder');
    await checkProjectModels(this.access, project, 'project');
    return this.pool.start('plan.export', { ...request, outDir }, { title: `Export "${project.document.name}" to ${path.basename(request.outDir)}` }).id;
  }

  async startVerify(request: VerifyRequest): Promise<string> {
    requireObject(request, 'request');
    const dir = await this.access.readable(requireString(request.dir, 'dir'), 'dir');
    optionalInteger(request.runs, 'runs', 1, MAX_RUNS);
    return this.pool.start('plan.verify', { ...request, dir }, { title: `Verify ${path.basename(dir)}` }).id;
  }

  async startDemo(request: DemoRequest): Promise<string> {
    requireObject(request, 'request');
    let dir = request.dir === undefined ? undefined : await this.access.writable(requireString(request.dir, 'dir'), 'dir', 'folder');
    // The job's default is a temporary folder; a confined host keeps the demo inside its workspace.
    if (dir === undefined && this.access.root !== null) dir = await mkdtemp(path.join(this.access.root, 'joule-demo-'));
    return this.pool.start('plan.demo', dir === undefined ? {} : { dir }, { title: 'Joule demo on the sample fleet' }).id;
  }
}
