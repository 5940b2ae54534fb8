/** The model service: the zoo and importing models into a project (as worker jobs). */
import path from 'node:path';
import type { ImportRequest, ModelsApi, ZooModelInfo } from '../common/api/models';
import { countModel } from '../core/zoo/count';
import { listZoo, zoo } from '../core/zoo/registry';
import { smallZoo, smallZooNames } from '../core/zoo/small/registry';
import type { JouleJobs } from '../jobs/catalog';
import type { JobPool } from '../jobs/pool';
import { requireObject, requireString } from './arguments';

export class ModelsService implements ModelsApi {
  private zooCache: ZooModelInfo[] | null = null;

  constructor(
    private readonly pool: JobPool<JouleJobs>,
    private readonly resourcesDir: string,
  ) {}

  async zoo(): Promise<ZooModelInfo[]> {
    // Counting builds shape-only graphs: a few milliseconds per model, once per session.
    this.zooCache ??= [
      ...listZoo().map((z) => ({ name: z.name, title: z.title, description: z.description, input: '3x224x224', ...counts(zoo[z.name].build()), trainable: false })),
      ...smallZooNames.map((name) => ({ name, title: smallZoo[name].title, description: smallZoo[name].description, input: '1x28x28', ...counts(smallZoo[name].build()), trainable: true })),
    ];
    return this.zooCache;
  }

  async startImport(request: ImportRequest): Promise<string> {
    requireObject(request, 'request');
    requireObject(request.source, 'source');
    requireString(request.baseDir, 'baseDir');
    requireString(request.id, 'id');
    const what = request.source.kind === 'file' ? request.source.path : request.source.kind === 'zoo' ? `zoo:${request.source.name}` : request.source.fileName;
    return this.pool.start('models.import', { request, env: { modelsDir: path.join(this.resourcesDir, 'models') } }, { title: `Import ${what}` }).id;
  }
}

function counts(model: Parameters<typeof countModel>[0]): { macs: number; params: number } {
  const { macs, params } = countModel(model);
  return { macs, params };
}
