/**
 * Checks a bundle as a node operator would before trusting it: every file against SHA256SUMS
 * (changed, missing and unlisted files are named), then every node's models loaded with
 * onnxruntime and run on a mid-grey input preprocessed as the manifest says, timed beside what the
 * plan expects on the node's device type and what the host profile predicts for this machine.
 * The mid-grey input is built as the bundle's runner builds it (the runner is standalone and cannot import it).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { FileProblem, VerifiedModel } from '../../common/bundle/verification';
import { JouleError } from '../../common/errors';
import { invalidJsonMessage } from '../../common/json-position';
import { analyzeModel } from '../energy/analyze';
import type { EnergyProfile } from '../energy/device-kind';
import { sha256Hex } from '../io/hash';
import { readRegularFile, readRegularText } from '../io/regular-file';
import { medianRunMs } from '../onnx/latency';
import { readOnnxFile } from '../onnx/read';
import { openSession } from '../onnx/session';
import type { Progress } from '../progress';
import type { NodeManifest } from './manifest';

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/** Files that differ from the bundle's SHA256SUMS, are missing, or are not listed in it. */
export async function checkFiles(dir: string, progress: Progress): Promise<{ problems: FileProblem[]; checked: number }> {
  let sums: string;
  try {
    sums = await readRegularText(path.join(dir, 'SHA256SUMS'), 'bundle');
  } catch {
    throw new JouleError(`${dir} is not a Joule bundle: it has no SHA256SUMS.`);
  }
  const listed = new Map<string, string>();
  for (const [index, line] of sums.split('\n').entries()) {
    if (!line) continue;
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match) throw new JouleError(`SHA256SUMS of ${dir} has a line Joule cannot read (line ${index + 1}).`);
    // A listed name never leads out of the bundle: verifying must not hash files elsewhere.
    const rel = path.normalize(match[2]);
    if (path.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${path.sep}`)) throw new JouleError(`SHA256SUMS of ${dir} lists a file outside the bundle (line ${index + 1}).`);
    listed.set(match[2], match[1]);
  }
  const problems: FileProblem[] = [];
  for (const [file, sha] of listed) {
    progress.checkpoint();
    const bytes = await readRegularFile(path.join(dir, file), 'bundle').catch(() => null);
    if (!bytes) problems.push({ path: file, problem: 'missing' });
    else if (sha256Hex(bytes) !== sha) problems.push({ path: file, problem: 'changed' });
  }
  for (const file of await walk(dir)) if (file !== 'SHA256SUMS' && !listed.has(file)) problems.push({ path: file, problem: 'unlisted' });
  return { problems, checked: listed.size };
}

/** The model's input for a mid-grey image, preprocessed as the manifest says; dynamic dims count as 1. */
function greyInput(model: NodeManifest['models'][number]): ort.Tensor {
  const dims = model.input.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  const channels = dims[1] ?? 1;
  const perChannel = data.length / channels / (dims[0] ?? 1);
  const { mean, std } = model.preprocessing;
  for (let i = 0; i < data.length; i++) {
    const c = Math.floor(i / perChannel) % channels;
    data[i] = (0.5 - (mean[c] ?? mean[0])) / (std[c] ?? std[0]);
  }
  return new ort.Tensor('float32', data, dims);
}

/** Loads and times every model of every node of the bundle. */
export async function checkModels(dir: string, host: EnergyProfile, runs: number, progress: Progress): Promise<VerifiedModel[]> {
  const nodes = (await fs.readdir(path.join(dir, 'nodes'), { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const checks: VerifiedModel[] = [];
  for (const [n, folder] of nodes.entries()) {
    const manifestFile = path.join(dir, 'nodes', folder, 'manifest.json');
    const manifestText = await readRegularText(manifestFile, 'bundle');
    let manifest: NodeManifest;
    try {
      manifest = JSON.parse(manifestText) as NodeManifest;
    } catch {
      throw new JouleError(invalidJsonMessage(manifestText, manifestFile));
    }
    for (const model of manifest.models) {
      progress.checkpoint();
      progress.report(0.3 + (0.7 * n) / nodes.length, `Running ${model.file} of ${manifest.node.id}`);
      const file = path.join(dir, 'nodes', folder, model.file);
      const expectedMs = Math.max(0, ...manifest.workloads.filter((w) => w.modelId === model.modelId).map((w) => w.expected.latencyMs));
      try {
        const session = await openSession(file);
        try {
          const measuredMs = await medianRunMs(session, { [model.input.name]: greyInput(model) }, runs);
          const hostPredictedMs = analyzeModel(readOnnxFile(file, { weights: 'skip' }), host, { precision: 'fp32' }).totals.latencyMs;
          checks.push({ node: manifest.node.id, file: `nodes/${folder}/${model.file}`, loaded: true, measuredMs, hostPredictedMs, expectedMs, error: null });
        } finally {
          await session.release();
        }
      } catch (error) {
        checks.push({ node: manifest.node.id, file: `nodes/${folder}/${model.file}`, loaded: false, measuredMs: null, hostPredictedMs: null, expectedMs, error: (error as Error).message });
      }
    }
  }
  return checks;
}
