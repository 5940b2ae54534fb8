/** The model service: the zoo, importing models into a project and exporting zoo models (as worker jobs). */
import path from 'node:path';
import type { ImportRequest, ImportSource, ModelsApi, ZooExportRequest, ZooModelInfo } from '../common/api/models';
import { countModel } from '../core/onnx/count';
import type { Model } from '../core/onnx/ir';
import { listZoo, zoo } from '../core/zoo/registry';
import { smallZoo, smallZooNames } from '../core/zoo/small/registry';
import type { JouleJobs } from '../jobs/catalog';
import type { JobExecutor } from '../jobs/executor';
import { requireObject, requireString } from './arguments';
import { checkedUploadName, type FileAccess } from './file-access';

export class ModelsService implements ModelsApi {
  private zooCache: ZooModelInfo[] | null = null;

  constructor(
    private readonly pool: JobExecutor<JouleJobs>,
    private readonly access: FileAccess,
  ) {}

  async zoo(): Promise<ZooModelInfo[]> {
    // Counting builds shape-only graphs: a few milliseconds per model, once per session.
    this.zooCache ??= [
      ...listZoo().map((z) => ({ name: z.name, title: z.title, description: z.description, input: '3x224x224', ...counts(zoo[z.name].build()), trainable: false, source: z.source })),
      ...smallZooNames.map((name) => ({
        name,
        title: smallZoo[name].title,
        description: smallZoo[name].description,
        input: '1x28x28',
        ...counts(smallZoo[name].build()),
        trainable: true,
        source: smallZoo[name].description,
      })),
    ];
    return this.zooCache;
  }

  async startImport(request: ImportRequest): Promise<string> {
    requireObject(request, 'request');
    requireObject(request.source, 'source');
    const baseDir = await this.access.readable(requireString(request.baseDir, 'baseDir'), 'baseDir');
    requireString(request.id, 'id');
    let source: ImportSource = request.source;
    let projectPath = request.projectPath;
    if (source.kind === 'file') source = { kind: 'file', path: await this.access.readable(requireString(source.path, 'source.path'), 'source.path') };
    else {
      if (source.kind === 'upload') source = { ...source, fileName: checkedUploadName(requireString(source.fileName, 'source.fileName'), 'source.fileName') };
      // Uploads and zoo models are written into the models folder beside the project file (the job
      // explains that a project never saved has none).
      if (projectPath !== null && projectPath !== undefined) {
        projectPath = await this.access.writable(requireString(projectPath, 'projectPath'), 'projectPath', 'project');
        await this.access.writable(path.join(path.dirname(projectPath), 'models'), 'projectPath', 'folder');
      }
    }
    const what = source.kind === 'file' ? source.path : source.kind === 'zoo' ? `zoo:${source.name}` : source.fileName;
    return this.pool.start('models.import', { ...request, source, projectPath, baseDir }, { title: `Import ${what}` }).id;
  }

  async startExport(request: ZooExportRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.name, 'name');
    const out = await this.access.writable(requireString(request.out, 'out'), 'out', 'model');
    return this.pool.start('models.export', { ...request, out }, { title: `Export ${request.name}` }).id;
  }
}

function counts(model: Model): { macs: number; params: number } {
  const { macs, params } = countModel(model);
  return { macs, params };
}
