/**
 * Job `models.import`: adds a model to a project. Reads the ONNX file (or writes the uploaded
 * bytes or the zoo model into the project's models folder first), checks that Joule understands
 * every operator, and returns the reference (relative path, size, sha256, input shapes) with a
 * summary; a file with dynamic input dimensions and no shapes given returns those inputs instead.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportedModel, ImportRequest } from '../../common/api/models';
import { JouleError } from '../../common/errors';
import { sha256Hex } from '../../core/io/hash';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { readRegularFileSync, UnreadableFileError } from '../../core/io/regular-file';
import { flattenControlFlow } from '../../core/onnx/control-flow';
import { dynamicInputs, withInputShapes } from '../../core/onnx/input-shapes';
import { withModelFile } from '../../core/onnx/errors';
import { decodeOnnx } from '../../core/onnx/read';
import { summarizeModel } from '../../core/onnx/summary';
import { encodeOnnx } from '../../core/onnx/write';
import { relativeModelPath } from '../../core/project/paths';
import { resolveModel, shippedModelFile } from '../../core/zoo/resolve';
import { isZooName, zoo } from '../../core/zoo/registry';
import { isSmallZooName, smallZoo } from '../../core/zoo/small/registry';
import type { JobContext } from '../context';
import { shippedModelsDir } from '../environment';

function modelsFolder(projectPath: string | null, what: string): string {
  if (!projectPath) throw new JouleError(`Save the project first: Joule keeps ${what} in a models folder beside the project file.`);
  const dir = path.join(path.dirname(projectPath), 'models');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** `name` or a numbered sibling in `dir` that already holds exactly `bytes`, if any. */
function sameBytesIn(dir: string, fileName: string, bytes: Uint8Array): string | null {
  const ext = path.extname(fileName);
  const stem = path.basename(fileName, ext);
  const digest = sha256Hex(bytes);
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, n === 1 ? fileName : `${stem}-${n}${ext}`);
    if (!existsSync(candidate)) return null;
    if (sha256Hex(readRegularFileSync(candidate, 'onnx')) === digest) return candidate;
  }
}

/** A file name in `dir` not taken yet: `resnet.onnx`, `resnet-2.onnx`, ... */
function freeName(dir: string, fileName: string): string {
  const ext = path.extname(fileName) || '.onnx';
  const stem = path.basename(fileName, path.extname(fileName)).replace(/[^\w.-]+/g, '-') || 'model';
  let candidate = path.join(dir, `${stem}${ext}`);
  for (let n = 2; existsSync(candidate); n++) candidate = path.join(dir, `${stem}-${n}${ext}`);
  return candidate;
}

export async function importModel(request: ImportRequest, context: JobContext): Promise<ImportedModel> {
  const modelsDir = shippedModelsDir(context.env);
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
      const shipped = isSmallZooName(source.name) ? shippedModelFile(modelsDir, source.name) : null;
      context.report(null, `Writing ${source.name}`);
      const bytes = shipped ? readFileSync(shipped) : encodeOnnx(resolveModel(`zoo:${source.name}`, { purpose: 'analyze', modelsDir }).model);
      // The same zoo model added again reuses its file (the window then reports the duplicate).
      file = sameBytesIn(dir, `${source.name}.onnx`, bytes) ?? freeName(dir, `${source.name}.onnx`);
      if (!existsSync(file)) await writeFileAtomic(file, bytes, { backup: false });
      label = isSmallZooName(source.name) ? smallZoo[source.name].title : isZooName(source.name) ? zoo[source.name].title : source.name;
      break;
    }
    default: {
      const unknown: never = source;
      throw new JouleError(`Unknown model source ${JSON.stringify(unknown)}.`);
    }
  }
  context.checkpoint();
  context.report(0.5, `Checking ${path.basename(file)}`);
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(file, 'onnx');
  } catch (error) {
    throw new JouleError(`Cannot read ${file}: ${error instanceof UnreadableFileError ? error.why : (error as Error).message}.`);
  }
  const decoded = decodeOnnx(bytes, { source: path.basename(file), baseDir: path.dirname(file), weights: 'skip' });
  const inputShapes = request.inputShapes && Object.keys(request.inputShapes).length ? request.inputShapes : undefined;
  if (!inputShapes) {
    const needsShapes = dynamicInputs(decoded);
    if (needsShapes.length) return { needsShapes, file };
  }
  // Control flow is costed flat (the costlier branch, constant trip counts); the summary says so where it matters.
  let summary: ReturnType<typeof summarizeModel>;
  try {
    summary = summarizeModel(flattenControlFlow(withInputShapes(decoded, inputShapes)).model);
  } catch (error) {
    throw withModelFile(error, path.basename(file)); // shape errors name a node, not the file
  }
  const sha256 = sha256Hex(bytes);
  context.report(1, `Imported ${path.basename(file)}`);
  return {
    ref: { id: request.id, label, path: relativeModelPath(request.baseDir, file), sha256, sizeBytes: bytes.length, ...(inputShapes ? { inputShapes } : {}) },
    summary,
  };
}
