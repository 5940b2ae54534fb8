/** The model service: the zoo, importing models into a project and exporting zoo models (as worker jobs). */
import path from 'node:path';
import type { ImportRequest, ModelsApi, ZooExportRequest, ZooModelInfo } from '../common/api/models';
import { countModel } from '../core/onnx/count';
import type { Model } from '../core/onnx/ir';
import { listZoo, zoo } from '../core/zoo/registry';
import { smallZoo, smallZooNames } from '../core/zoo/small/registry';
import type { JouleJobs } from '../jobs/catalog';
import type { JobPool } from '../jobs/pool';
import { requireObject, requireString } from './arguments';

export class ModelsService implements ModelsApi {
  private zooCache: ZooModelInfo[] | null = null;

  constructor(private readonly pool: JobPool<JouleJobs>) {}

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
    requireString(request.baseDir, 'baseDir');
    requireString(request.id, 'id');
    const what = request.source.kind === 'file' ? request.source.path : request.source.kind === 'zoo' ? `zoo:${request.source.name}` : request.source.fileName;
    return this.pool.start('models.import', request, { title: `Import ${what}` }).id;
  }

  async startExport(request: ZooExportRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.name, 'name');
    const out = path.resolve(requireString(request.out, 'out'));
    return this.pool.start('models.export', { ...request, out }, { title: `Export ${request.name}` }).id;
  }
}

function counts(model: Model): { macs: number; params: number } {
  const { macs, params } = countModel(model);
  return { macs, params };
}
