/**
 * Adds a model to a project: reads the ONNX file (or writes the uploaded bytes or the zoo model
 * into the project's models folder first), checks that Joule understands every operator, and
 * returns the reference (relative path, size, sha256) with a summary of the graph.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportedModel, ImportRequest, ModelSummary } from '../../common/api/models';
import { JouleError } from '../../common/errors';
import type { Model } from '../onnx/ir';
import { decodeOnnx } from '../onnx/read';
import { inferShapes } from '../onnx/shapes';
import { encodeOnnx } from '../onnx/write';
import { writeFileAtomic } from '../project/atomic-write';
import { relativeModelPath } from '../project/paths';
import type { Progress } from '../progress';
import { countModel } from './count';
import { resolveModel, shippedModelFile } from './resolve';
import { isSmallZooName } from './small/registry';

export function summarizeModel(model: Model): ModelSummary {
  const shapes = inferShapes(model);
  const ops: Record<string, number> = {};
  for (const n of model.graph.nodes) ops[n.opType] = (ops[n.opType] ?? 0) + 1;
  const shapeOf = (name: string) => (shapes.get(name)?.shape ?? []).map((d) => d);
  const { macs, params } = countModel(model);
  return {
    graphName: model.graph.name,
    opset: model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    inputs: model.graph.inputs.filter((v) => !model.graph.initializers.has(v.name)).map((v) => ({ name: v.name, shape: v.shape ?? shapeOf(v.name) })),
    outputs: model.graph.outputs.map((v) => ({ name: v.name, shape: shapeOf(v.name) })),
    nodes: model.graph.nodes.length,
    ops,
    macs,
    params,
  };
}

function modelsFolder(projectPath: string | null, what: string): string {
  if (!projectPath) throw new JouleError(`Save the project first: Joule keeps ${what} in a models folder beside the project file.`);
  const dir = path.join(path.dirname(projectPath), 'models');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file name in `dir` not taken yet: `resnet.onnx`, `resnet-2.onnx`, ... */
function freeName(dir: string, fileName: string): string {
  const ext = path.extname(fileName) || '.onnx';
  const stem = path.basename(fileName, path.extname(fileName)).replace(/[^\w.-]+/g, '-') || 'model';
  let candidate = path.join(dir, `${stem}${ext}`);
  for (let n = 2; existsSync(candidate); n++) candidate = path.join(dir, `${stem}-${n}${ext}`);
  return candidate;
}

export interface ImportEnvironment {
  modelsDir: string;
}

export async function importModel(request: ImportRequest, env: ImportEnvironment, progress: Progress): Promise<ImportedModel> {
  const { source } = request;
  let file: string;
  let label: string;
  switch (source.kind) {
    case 'file':
      file = path.resolve(source.path);
      label = path.basename(file, path.extname(file));
      break;
    case 'upload': {
      const bytes = Buffer.from(source.dataBase64, 'base64');
      decodeOnnx(bytes, { source: source.fileName, weights: 'skip' });
      file = freeName(modelsFolder(request.projectPath, 'uploaded models'), source.fileName);
      await writeFileAtomic(file, bytes, { backup: false });
      label = path.basename(source.fileName, path.extname(source.fileName));
      break;
    }
    case 'zoo': {
      const dir = modelsFolder(request.projectPath, 'zoo models');
      file = freeName(dir, `${source.name}.onnx`);
      const shipped = isSmallZooName(source.name) ? shippedModelFile(env.modelsDir, source.name) : null;
      progress.report(null, `Writing ${source.name}`);
      if (shipped) copyFileSync(shipped, file);
      else await writeFileAtomic(file, encodeOnnx(resolveModel(`zoo:${source.name}`, { purpose: 'analyze', modelsDir: env.modelsDir }).model), { backup: false });
      label = source.name;
      break;
    }
    default: {
      const unknown: never = source;
      throw new JouleError(`Unknown model source ${JSON.stringify(unknown)}.`);
    }
  }
  progress.checkpoint();
  progress.report(0.5, `Checking ${path.basename(file)}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new JouleError(`Cannot read ${file}: ${(error as Error).message}.`);
  }
  const model = decodeOnnx(bytes, { source: path.basename(file), baseDir: path.dirname(file), weights: 'skip' });
  const summary = summarizeModel(model);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  progress.report(1, `Imported ${path.basename(file)}`);
  return {
    ref: { id: request.id, label, path: relativeModelPath(request.baseDir, file), sha256, sizeBytes: bytes.length },
    summary,
  };
}
