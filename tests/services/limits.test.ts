/**
 * Issue 14, bounded inputs: thread counts and time limits are refused at the boundary, by the CLI
 * (exit 2) and by every service method that takes them, with a sentence naming the field and its
 * limit. `--threads 1000` grew past 8 GB before; the API passed both through unchecked.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltProblem } from '../../src-main/common/api/placement';
import { writeOnnxFile } from '../../src-main/core/onnx/write';
import { cli } from '../host/run-cli';
import { createRuntime, type Runtime } from '../../src-main/services';
import { optionalThreads, optionalTimeLimit } from '../../src-main/services/arguments';
import { GraphBuilder } from '../core/onnx/build';

const resourcesDir = path.resolve(import.meta.dirname, '../../resources');
const sampleFile = path.join(resourcesDir, 'sample', 'sample.joule');
const cores = os.availableParallelism();
const threadsText = `threads: expected a whole number from 1 to ${cores} (the cores of this computer), got 1000.`;
const timeText = 'timeLimitS: expected a number of seconds from 0 to 86,400 (one day), got 1000000000.';
let runtime: Runtime;
let dir: string;

beforeAll(() => {
  process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-limits-'));
  dir = mkdtempSync(path.join(os.tmpdir(), 'joule-limits-files-'));
  runtime = createRuntime({ resourcesDir, dataDir: process.env.JOULE_HOME, documentsDir: os.tmpdir(), poolSize: 1 });
});
afterAll(() => runtime.close());

describe('argument limits', () => {
  it('accept 1 to the cores of this computer and up to a day', () => {
    expect(optionalThreads(undefined, 'threads')).toBeUndefined();
    expect(optionalThreads(cores, 'threads')).toBe(cores);
    expect(() => optionalThreads(1000, 'threads')).toThrow(threadsText);
    expect(() => optionalThreads(0, 'threads')).toThrow(/threads: expected a whole number from 1/);
    expect(optionalTimeLimit(86_400, 'timeLimitS')).toBe(86_400);
    expect(() => optionalTimeLimit(1e9, 'timeLimitS')).toThrow(timeText);
    expect(() => optionalTimeLimit(Infinity, 'timeLimitS')).toThrow(/timeLimitS: expected a number of seconds/);
  });
});

describe('the CLI', () => {
  it('exits 2 on --threads above the cores and --time-limit above a day', async () => {
    const threads = await cli('schedule', sampleFile, '--threads', '1000');
    expect(threads.code).toBe(2);
    expect(threads.err).toContain(`--threads must be at most ${cores} (the cores of this computer), got 1000.`);
    const time = await cli('schedule', sampleFile, '--time-limit', '1e9');
    expect(time.code).toBe(2);
    expect(time.err).toContain('--time-limit must be at most 86,400 (one day), got 1000000000.');
    expect((await cli('generate', 'fleet', '--nodes', '1e9', '--workloads', '10', '--out', path.join(dir, 'f.json'))).err).toContain('--nodes must be at most 10,000, got 1000000000.');
    expect((await cli('train', 'zoo:lenet5', '--dataset', 'fashion-mnist', '--epochs', '1', '--out', 'x.onnx', '--threads', '1000')).code).toBe(2);
  });

  it('refuses a project with a billion nodes in `project check` and `schedule`, naming the field', async () => {
    for (const count of [1e9, 1e15]) {
      const project = JSON.parse(readFileSync(sampleFile, 'utf8'));
      project.devices[0].count = count;
      for (const m of project.models) m.path = path.resolve(resourcesDir, 'sample', m.path);
      const file = path.join(dir, `fleet-${count}.joule`);
      writeFileSync(file, JSON.stringify(project));
      for (const argv of [['project', 'check', file], ['schedule', file, '--algo', 'greedy']]) {
        const { code, err } = await cli(...argv);
        expect(code).toBe(1);
        expect(err).toContain('devices[0].count: expected a whole number from 1 to 100,000 (the limit of nodes per device row, docs/limits.md)');
        expect(err).not.toMatch(/Invalid array length|RangeError/);
      }
    }
  });
});

describe('the services', () => {
  it('refuse threads above the cores and time limits above a day in every method that takes them', async () => {
    const sample = await runtime.services.project.openSample();
    const built = (await runtime.services.jobs.result(await runtime.services.placement.startBuildProblem({ project: { document: sample.document, baseDir: sample.baseDir } }))) as BuiltProblem;
    const { placement, plan, training, pruning, energy } = runtime.services;
    const project = { document: sample.document, baseDir: sample.baseDir };
    await expect(placement.startRun({ problemId: built.problemId, algos: ['greedy'], threads: 1000 })).rejects.toThrow(threadsText);
    await expect(placement.startRun({ problemId: built.problemId, algos: ['greedy'], timeLimitS: 1e9 })).rejects.toThrow(timeText);
    await expect(placement.startParetoSweep({ problemId: built.problemId, threads: 1000 })).rejects.toThrow(threadsText);
    await expect(placement.startParetoSweep({ problemId: built.problemId, timeLimitS: 1e9 })).rejects.toThrow(timeText);
    await expect(plan.startCompare({ project, threads: 1000 })).rejects.toThrow(threadsText);
    await expect(plan.startCompare({ project, timeLimitS: 1e9 })).rejects.toThrow(timeText);
    await expect(training.start({ model: 'zoo:lenet5', dataset: { kind: 'fashion-mnist' }, epochs: 1, out: path.join(dir, 'x.onnx'), threads: 1000 } as never)).rejects.toThrow(threadsText);
    await expect(training.evaluate({ model: 'zoo:lenet5', dataset: { kind: 'fashion-mnist' }, threads: 1000 } as never)).rejects.toThrow(threadsText);
    await expect(pruning.start({ model: { zoo: 'lenet5' }, dataset: { kind: 'fashion-mnist' }, threads: 1000 } as never)).rejects.toThrow(threadsText);
    await expect(placement.startGenerateFleet({ nodes: 1e9, workloads: 10, out: path.join(dir, 'f.json') })).rejects.toThrow('nodes: the generator writes at most 10,000 nodes, got 1000000000.');
    await expect(placement.startGenerateFleet({ nodes: 10, workloads: 1e9, out: path.join(dir, 'f.json') })).rejects.toThrow('workloads: a problem has at most 50,000 workloads, got 1000000000.');
    await expect(energy.startAnalysis({ model: { zoo: 'lenet5', inputShapes: { input: [1, 1, 1e6, 1e6] } }, deviceIds: ['raspberry-pi-4'], precision: 'auto' })).rejects.toThrow(
      'model.inputShapes["input"]: 1x1x1000000x1000000 is too large; each dimension may be at most 2,147,483,647 and the input at most 2,147,483,648 elements (docs/limits.md).',
    );
    await expect(training.start({ model: 'zoo:lenet5', dataset: 'fashion-mnist', epochs: 1e9, out: path.join(dir, 'x.onnx') } as never)).rejects.toThrow('epochs: expected a whole number from 1 to 10,000, got 1000000000.');
    await expect(training.start({ model: 'zoo:lenet5', dataset: 'fashion-mnist', epochs: 1, batchSize: 1e6, out: path.join(dir, 'x.onnx') } as never)).rejects.toThrow('batchSize: expected a whole number from 1 to 4,096, got 1000000.');
    await expect(energy.startAnalysis({ model: { zoo: 'lenet5' }, deviceIds: ['raspberry-pi-4'], precision: 'auto', batch: 1e9 })).rejects.toThrow('batch: expected a whole number from 1 to 65,536, got 1000000000.');
    await expect(energy.startProfile({ model: { zoo: 'lenet5' }, threads: 1000 } as never)).rejects.toThrow(threadsText);
  });
});

describe('model errors', () => {
  it('name the file when shape inference fails inside an analysis job', async () => {
    const b = new GraphBuilder(17);
    b.node('NonMaxSuppression', [b.input('boxes', [1, 10, 4]), b.input('scores', [1, 1, 10])], {}, ['sel']);
    b.model.graph.nodes[0].name = 'nms_1';
    writeOnnxFile(path.join(dir, 'det.onnx'), b.model);
    const job = await runtime.services.energy.startAnalysis({ model: { path: 'det.onnx', baseDir: dir }, deviceIds: ['raspberry-pi-4'], precision: 'auto' });
    await expect(runtime.services.jobs.result(job)).rejects.toThrow(/^In '.*det\.onnx': Unsupported operator 'NonMaxSuppression' at node 'nms_1' \(opset 17\)\.$/);
  });

  it('name the file when an imported model has a shape error', async () => {
    const b = new GraphBuilder(17);
    b.node('NonMaxSuppression', [b.input('boxes', [1, 10, 4]), b.input('scores', [1, 1, 10])], {}, ['sel']);
    b.model.graph.nodes[0].name = 'nms_1';
    const file = path.join(dir, 'import-det.onnx');
    writeOnnxFile(file, b.model);
    const job = await runtime.services.models.startImport({ source: { kind: 'file', path: file }, projectPath: null, baseDir: dir, id: 'm1' });
    await expect(runtime.services.jobs.result(job)).rejects.toThrow("In 'import-det.onnx': Unsupported operator 'NonMaxSuppression' at node 'nms_1' (opset 17).");
  });
});
