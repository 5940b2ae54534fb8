import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src-main/core/onnx/builder';
import { writeOnnxFile } from '../../src-main/core/onnx/write';
import { commands } from '../../src-main/host/cli/main';
import { cli } from './run-cli';
import { ifModel } from '../core/onnx/control-flow-models';

const sampleFile = path.resolve(import.meta.dirname, '../../resources/sample/sample.joule');

beforeAll(() => {
  process.env.JOULE_HOME = mkdtempSync(path.join(os.tmpdir(), 'joule-cli-'));
});

describe('joule CLI', () => {
  it('prints the per-file report of project check as JSON', async () => {
    const { code, out, err } = await cli('project', 'check', sampleFile, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ project: sampleFile, ok: true });
    expect(Array.isArray(report.files)).toBe(true);
  });

  it('exits 1 and names the JSON path for a project with a bad field', async () => {
    const project = JSON.parse(readFileSync(sampleFile, 'utf8'));
    project.devices[3].ramMB = '4GB';
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-bad-')), 'bad.joule');
    writeFileSync(file, JSON.stringify(project));
    const { code, err } = await cli('project', 'check', file, '--json');
    expect(code).toBe(1);
    expect(err).toBe('joule: bad.joule has 1 problem: devices[3].ramMB: expected a positive number, got "4GB".');
    const validate = await cli('project', 'validate', file, '--json');
    expect(validate.code).toBe(1);
    expect(JSON.parse(validate.out).problems).toEqual([{ path: 'devices[3].ramMB', message: 'expected a positive number, got "4GB"' }]);
  });

  it('exits 2 on bad usage with a pointer to --help', async () => {
    expect(await cli('project', 'check')).toMatchObject({ code: 2, err: "joule: Missing FILE. Run 'joule project check --help' for usage." });
    expect(await cli('project', 'check', 'a.joule', '--frobnicate')).toMatchObject({ code: 2 });
    expect(await cli('teleport')).toMatchObject({ code: 2, err: "joule: Unknown command \"teleport\". Run 'joule --help' for usage." });
    expect((await cli('serve', '--port', 'eighty')).err).toBe("joule: --port expects a number, got \"eighty\". Run 'joule serve --help' for usage.");
  });

  it('has --help on every command', async () => {
    for (const command of commands) {
      const { code, out } = await cli(...command.words, '--help');
      expect(code, command.words.join(' ')).toBe(0);
      expect(out).toContain(`Usage: joule ${command.words.join(' ')}`);
      expect(out).toContain('--json');
    }
  });

  it('lists and shows library devices, with sources', async () => {
    const list = JSON.parse((await cli('devices', 'list', '--json')).out);
    expect(list.map((d: { id: string }) => d.id).sort()).toEqual(
      ['coral-dev-board', 'intel-ncs2', 'jetson-nano-10w', 'jetson-nano-5w', 'jetson-orin-nano', 'jetson-xavier-nx', 'raspberry-pi-4'],
    );
    const show = await cli('devices', 'show', 'jetson-nano-10w');
    expect(show.out).toMatch(/memory bandwidth\s+25\.6 GB\/s/);
    expect(await cli('devices', 'show', 'jetson-tx2')).toMatchObject({ code: 1 });
  });

  it('prints the energy report JSON the bars read', async () => {
    const { code, out } = await cli('energy', 'zoo:resnet50', '--device', 'jetson-nano-10w', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.model).toMatchObject({ name: 'resnet50' });
    expect(report.model.macs).toBeGreaterThan(4e9);
    expect(report.device.id).toBe('jetson-nano-10w');
    for (const key of ['energyJ', 'computeJ', 'dramJ', 'bufferJ', 'rfJ', 'staticJ', 'latencyMs', 'weightBytes', 'peakActivationBytes', 'fits']) expect(report.totals).toHaveProperty(key);
    for (const key of ['name', 'op', 'macs', 'params', 'energyJ', 'computeJ', 'dramJ', 'bufferJ', 'rfJ', 'staticJ', 'latencyMs']) expect(report.layers[0]).toHaveProperty(key);
    const eyeriss = JSON.parse((await cli('energy', 'zoo:alexnet', '--device', 'eyeriss', '--json')).out);
    expect(eyeriss.units).not.toBe('J');
  });

  it('analyses a model with dynamic input dimensions given --input-shape, and names the flag when they are missing', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['N', 3, 'height', 'width']);
    b.output(b.op('Relu', [b.op('Conv', [x, b.weight('w', [8, 3, 3, 3])], { pads: [1, 1, 1, 1] })]));
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-dynamic-')), 'dynamic.onnx');
    writeOnnxFile(file, b.model);
    const ok = await cli('energy', file, '--input-shape', 'x=1x3x64x96', '--device', 'raspberry-pi-4', '--json');
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).model.macs).toBe(8 * 3 * 9 * 64 * 96);
    const bare = await cli('energy', file, '--input-shape', '2x3x32x32', '--device', 'raspberry-pi-4', '--json');
    expect(JSON.parse(bare.out).model.macs).toBe(2 * 8 * 3 * 9 * 32 * 32);
    const missing = await cli('energy', file, '--device', 'raspberry-pi-4');
    expect(missing.code).toBe(1);
    // Issue 14: a model's errors name its file.
    expect(missing.err).toBe(`joule: In '${file}': Graph input 'x' has dynamic dimension "height" at axis 2; give the input's shape (on the command line: --input-shape x=1x3x224x224, with your sizes).`);
    expect((await cli('energy', file, '--input-shape', 'x=1x3', '--device', 'raspberry-pi-4')).err).toBe(`joule: In '${file}': Input "x" has 4 dimensions (Nx3xheightxwidth), but the shape given has 2 (1x3).`);
    expect((await cli('energy', file, '--input-shape', 'x=big', '--device', 'raspberry-pi-4')).code).toBe(2);
  });

  it('costs an If by its costlier branch, says so in the warnings, and costs the other with --branch', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-if-')), 'if.onnx');
    writeOnnxFile(file, ifModel());
    const costlier = await cli('energy', file, '--device', 'raspberry-pi-4', '--json');
    expect(costlier.code).toBe(0);
    const a = JSON.parse(costlier.out);
    expect(a.warnings[0]).toMatch(/^If node 'choose': costed by its then branch, the costlier/);
    const other = JSON.parse((await cli('energy', file, '--device', 'raspberry-pi-4', '--branch', 'choose=else', '--json')).out);
    expect(other.warnings[0]).toBe("If node 'choose': costed by its else branch, as asked.");
    expect(other.totals.energyJ).toBeLessThan(a.totals.energyJ);
    expect((await cli('energy', file, '--device', 'raspberry-pi-4', '--branch', 'choose=maybe')).code).toBe(2);
  });

  it('suggests zoo:NAME when a missing file is named like a zoo model', async () => {
    const r = await cli('energy', 'resnet50', '--device', 'raspberry-pi-4');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`joule: There is no file ${path.resolve('resnet50')}; for the zoo's resnet50, write zoo:resnet50.`);
  });

  it('prints the partition JSON with the best cut and every cut', async () => {
    const { code, out } = await cli('partition', 'zoo:mobilenet_v2', '--device', 'raspberry-pi-4', '--uplink-mbps', '20', '--radio', 'lte', '--slo-ms', '500', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(Object.keys(result.best)).toEqual(expect.arrayContaining(['cutAfter', 'deviceEnergyJ', 'latencyMs', 'transmitBytes']));
    expect(result.cuts.length).toBeGreaterThan(10);
    expect(Math.min(...result.cuts.filter((c: { meetsSlo: boolean }) => c.meetsSlo).map((c: { deviceEnergyJ: number }) => c.deviceEnergyJ))).toBeCloseTo(result.best.deviceEnergyJ, 12);
    expect((await cli('partition', 'zoo:mobilenet_v2', '--device', 'raspberry-pi-4')).code).toBe(2);
  });

  it('exports a zoo model that onnxruntime loads', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-zoo-')), 'sq.onnx');
    expect((await cli('zoo', 'export', 'squeezenet1_1', file)).code).toBe(0);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(file);
    expect(session.inputNames).toEqual(['input']);
    const list = JSON.parse((await cli('zoo', 'list', '--json')).out);
    expect(list.map((z: { name: string }) => z.name)).toEqual(expect.arrayContaining(['resnet50', 'lenet5', 'mobilenet_v2_small']));
  });

  it('calibrates a profile from a CSV of measurements', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-cal-'));
    const csv = path.join(dir, 'measured.csv');
    writeFileSync(csv, 'model,device,latency_ms,energy_mj\nzoo:mobilenet_v2,raspberry-pi-4,120,410\nzoo:resnet18,raspberry-pi-4,610,2300\n');
    const { code, out } = await cli('calibrate', csv, '--out', dir, '--json');
    expect(code).toBe(0);
    const [result] = JSON.parse(out);
    expect(result.device).toBe('raspberry-pi-4');
    const calibrated = await cli('energy', 'zoo:mobilenet_v2', '--device', result.file, '--precision', 'fp32', '--json');
    expect(JSON.parse(calibrated.out).totals.latencyMs).toBeCloseTo(result.residuals[0].predictedLatencyMs, 2);
    writeFileSync(csv, 'model,device,latency_ms\nzoo:resnet18,raspberry-pi-4,fast\n');
    expect(await cli('calibrate', csv)).toMatchObject({ code: 1, err: 'joule: measured.csv line 2: latency_ms must be a positive number, got "fast".' });
  });

  it('trains zoo:lenet5 for one epoch, and eval of the written file reports at least 85% as JSON', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-train-'));
    const out = path.join(dir, 'lenet.onnx');
    const trained = await cli('train', 'zoo:lenet5', '--dataset', 'fashion-mnist', '--epochs', '1', '--out', out, '--json');
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    const evaluated = await cli('eval', out, '--dataset', 'fashion-mnist', '--json');
    expect(evaluated.code).toBe(0);
    const result = JSON.parse(evaluated.out);
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'loss', 'ms', 'samples']);
    expect(result.samples).toBe(10_000);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.85);
  }, 300_000);

  it('rejects training without its required options', async () => {
    expect(await cli('train', 'zoo:lenet5', '--dataset', 'fashion-mnist', '--out', 'x.onnx')).toMatchObject({ code: 2, err: "joule: Missing --epochs N. Run 'joule train --help' for usage." });
    expect((await cli('train', 'zoo:lenet5', '--dataset', 'fashion-mnist', '--epochs', '0', '--out', 'x.onnx')).code).toBe(2);
    expect((await cli('eval', 'zoo:resnet50', '--dataset', 'mnist')).code).toBe(1);
  });
});
