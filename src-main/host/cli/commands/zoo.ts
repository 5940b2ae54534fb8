/** `joule zoo list|export`. */
import path from 'node:path';
import type { ZooExportReport } from '../../../common/api/models';
import type { Command } from '../command';
import { awaitJob } from '../jobs';
import { textTable } from '../table';

const list: Command = {
  words: ['zoo', 'list'],
  summary: 'List the model zoo: ImageNet classics (for analysis) and small trainable nets (28x28).',
  positionals: [],
  options: {},
  async run(args, context) {
    const all = await (await context.runtime()).services.models.zoo();
    if (args.json) {
      context.out(JSON.stringify(all, null, 2));
      return;
    }
    context.out(textTable(['name', 'model', 'input', 'MMACs', 'M params'], all.map((z) => [z.name, z.title, z.input, z.macs / 1e6, z.params / 1e6])));
    context.out(`\nUse a model as zoo:NAME wherever a command takes MODEL (e.g. joule energy zoo:resnet50 --device jetson-nano-10w).`);
  },
};

const exportCommand: Command = {
  words: ['zoo', 'export'],
  summary: 'Write a zoo model to an ONNX file (ImageNet classics get seeded random weights; small nets their trained weights when shipped).',
  positionals: [
    { name: 'NAME', description: 'A zoo model name (see joule zoo list).' },
    { name: 'OUT', description: 'The .onnx file to write.' },
  ],
  options: {},
  async run(args, context) {
    const [name, out] = args.positionals;
    const { models } = (await context.runtime()).services;
    const report = await awaitJob<ZooExportReport>(context, models.startExport({ name, out: path.resolve(out) }), { progress: false });
    if (args.json) context.out(JSON.stringify(report));
    else context.out(`Wrote ${report.file} (${report.name}, ${(report.params / 1e6).toFixed(2)} M params, ${report.trained ? 'trained weights' : 'random weights'}).`);
  },
};

export const zooCommands = [list, exportCommand];
