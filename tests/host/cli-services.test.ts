/**
 * One way through the house: the CLI and the window reach the same service methods, so the same
 * inputs give the same JSON. Timings (`ms`, the convergence trace's clock) are the only fields
 * left out of the comparison.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltProblem, PlacementRunResult } from '../../src-main/common/api/placement';
import { runCli } from '../../src-main/host/cli/main';
import { createRuntime, type Runtime } from '../../src-main/services';

const resourcesDir = path.resolve(import.meta.dirname, '../../resources');
const sampleFile = path.join(resourcesDir, 'sample', 'sample.joule');
let runtime: Runtime;

beforeAll(() => {
  process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-same-'));
  runtime = createRuntime({ resourcesDir, dataDir: process.env.JOULE_HOME, documentsDir: os.tmpdir(), poolSize: 1 });
});
afterAll(() => runtime.close());

async function cliJson(...argv: string[]): Promise<unknown> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--json'], { out: (t) => out.push(t), err: (t) => err.push(t) });
  expect(err.join('\n')).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out.join('\n'));
}

async function windowResult<T>(start: Promise<string>): Promise<T> {
  return (await runtime.services.jobs.result(await start)) as T;
}

/** The value as JSON would carry it, without wall-clock fields. */
function withoutTimings(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'ms' || key === 'trace' ? undefined : v));
}

describe('the CLI and the window', () => {
  it('get the same energy analysis', async () => {
    const cli = await cliJson('energy', 'zoo:resnet50', '--device', 'jetson-nano-10w');
    const [window] = await windowResult<unknown[]>(runtime.services.energy.startAnalysis({ model: { zoo: 'resnet50' }, deviceIds: ['jetson-nano-10w'], precision: 'auto' }));
    expect(cli).toEqual(withoutTimings(window));
  });

  it('get the same partition', async () => {
    const cli = await cliJson('partition', 'zoo:mobilenet_v2', '--device', 'raspberry-pi-4', '--uplink-mbps', '20', '--radio', 'lte', '--slo-ms', '500');
    const window = await windowResult(runtime.services.energy.startPartition({ model: { zoo: 'mobilenet_v2' }, deviceId: 'raspberry-pi-4', uplinkMbps: 20, radio: 'lte', rttMs: 20, sloMs: 500 }));
    expect(cli).toEqual(window);
  });

  it('get the same placements of the sample project: greedy, and the improved ACO with a seed and an iteration limit', async () => {
    const sample = await runtime.services.project.openSample();
    const built = await windowResult<BuiltProblem>(runtime.services.placement.startBuildProblem({ project: { document: sample.document, baseDir: sample.baseDir } }));
    const started = await runtime.services.placement.startRun({ problemId: built.problemId, algos: ['greedy', 'aco'], seed: 3, maxIterations: 20 });
    const [greedy, aco] = await Promise.all(started.map((s) => runtime.services.jobs.result(s.jobId) as Promise<PlacementRunResult>));
    expect(aco.iterations).toBe(20);
    const cliGreedy = await cliJson('schedule', sampleFile, '--algo', 'greedy', '--seed', '3', '--max-iterations', '20');
    const cliAco = await cliJson('schedule', sampleFile, '--algo', 'aco', '--seed', '3', '--max-iterations', '20');
    expect(withoutTimings(cliGreedy)).toEqual(withoutTimings(greedy));
    expect(withoutTimings(cliAco)).toEqual(withoutTimings(aco));
  });

  it('get the same evaluation of a shipped model', async () => {
    const cli = await cliJson('eval', 'zoo:lenet5', '--dataset', 'fashion-mnist');
    const window = await windowResult(runtime.services.training.evaluate({ model: 'zoo:lenet5', dataset: 'fashion-mnist' }));
    expect(withoutTimings(cli)).toEqual(withoutTimings(window));
    expect((cli as { samples: number }).samples).toBe(10_000);
  }, 120_000);
});
