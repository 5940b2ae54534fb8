/** `joule zoo list|export`. */
import path from 'node:path';
import { writeOnnxFile } from '../../../core/onnx/write';
import { countModel } from '../../../core/zoo/count';
import { listZoo, zoo } from '../../../core/zoo/registry';
import { resolveModel, shippedModelFile, ZOO_PREFIX } from '../../../core/zoo/resolve';
import { isSmallZooName, smallZoo, smallZooNames } from '../../../core/zoo/small/registry';
import type { Command } from '../command';
import { textTable } from '../table';

const list: Command = {
  words: ['zoo', 'list'],
  summary: 'List the model zoo: ImageNet classics (for analysis) and small trainable nets (28x28).',
  positionals: [],
  options: {},
  async run(args, context) {
    const imagenet = listZoo().map((z) => {
      const { macs, params } = countModel(zoo[z.name].build());
      return { name: z.name, title: z.title, input: '3x224x224', macs, params, trainable: false, source: z.source };
    });
    const small = smallZooNames.map((name) => {
      const { macs, params } = countModel(smallZoo[name].build());
      return { name, title: smallZoo[name].title, input: '1x28x28', macs, params, trainable: true, source: smallZoo[name].description };
    });
    const all = [...imagenet, ...small];
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
    const spec = name.startsWith(ZOO_PREFIX) ? name : `${ZOO_PREFIX}${name}`;
    const modelsDir = path.join(context.paths.resourcesDir, 'models');
    const bare = spec.slice(ZOO_PREFIX.length);
    const trained = isSmallZooName(bare) && shippedModelFile(modelsDir, bare) !== null;
    const resolved = resolveModel(spec, { purpose: trained ? 'evaluate' : 'analyze', modelsDir });
    const file = path.resolve(out);
    writeOnnxFile(file, resolved.model, { externalDataThresholdBytes: 1 << 30 });
    const { macs, params } = countModel(resolved.model);
    if (args.json) context.out(JSON.stringify({ name: resolved.name, file, trained: resolved.file !== null, macs, params }));
    else context.out(`Wrote ${file} (${resolved.name}, ${(params / 1e6).toFixed(2)} M params, ${resolved.file ? 'trained weights' : 'random weights'}).`);
  },
};

export const zooCommands = [list, exportCommand];
