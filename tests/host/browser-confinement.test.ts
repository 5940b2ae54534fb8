/**
 * The browser host's workspace root: each probe that once listed, hashed, echoed or wrote a file
 * outside it (issue 14) is refused with HTTP 403 and an AccessDeniedError naming the path and the
 * root, and files that are not regular files fail fast instead of stalling the server.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, withHost, type Runtime } from '../../src-main/services';
import { confinedAccess } from '../../src-main/services/file-access';
import { startBrowserHost, type BrowserHost } from '../../src-main/host/browser/server';
import { browserHostApi } from '../../src-main/host/browser/host-api';

const resourcesDir = path.resolve(import.meta.dirname, '../../resources');
const sampleFile = path.join(resourcesDir, 'sample', 'sample.joule');
let runtime: Runtime;
let host: BrowserHost;
let workspace: string;
let outside: string;

interface Answer {
  status: number;
  body: { ok: boolean; value?: unknown; error?: { name: string; message: string } };
  ms: number;
}

async function call(service: string, method: string, ...args: unknown[]): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${service}/${method}`, { method: 'POST', headers: { 'x-joule-token': host.token }, body: JSON.stringify(args) });
  return { status: res.status, body: await res.json(), ms: Date.now() - started };
}

/** A refusal: 403, an AccessDeniedError naming the path asked for and (for a path) the workspace root. */
function expectRefused(answer: Answer, named: string, kind: 'path' | 'id' = 'path'): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(403);
  expect(answer.body.ok).toBe(false);
  expect(answer.body.error!.name).toBe('AccessDeniedError');
  expect(answer.body.error!.message).toContain(named);
  if (kind === 'path') expect(answer.body.error!.message).toContain(workspace);
}

function sampleDocument(): Record<string, unknown> {
  return JSON.parse(readFileSync(sampleFile, 'utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'joule-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Joule</title>');
  workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'joule-workspace-')));
  outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'joule-outside-')));
  writeFileSync(path.join(outside, 'secret.txt'), 'root:x:0:0:root:/root:/bin/bash\n');
  writeFileSync(path.join(outside, 'x.json'), readFileSync(path.join(resourcesDir, 'devices', 'raspberry-pi-4.json')));
  writeFileSync(path.join(outside, 'outside.joule'), readFileSync(sampleFile));
  // Links inside the workspace that lead out of it.
  symlinkSync(outside, path.join(workspace, 'escape'));
  symlinkSync(path.join(outside, 'outside.joule'), path.join(workspace, 'link.joule'));
  const fileAccess = confinedAccess({ root: workspace, readOnly: [resourcesDir] });
  runtime = createRuntime({ resourcesDir, dataDir: mkdtempSync(path.join(os.tmpdir(), 'joule-data-')), documentsDir: workspace, poolSize: 1, fileAccess });
  host = await startBrowserHost({ services: withHost(runtime, browserHostApi(fileAccess)), events: runtime.events, rendererDir });
});
afterAll(async () => {
  await host.close();
  await runtime.close();
});

describe('the browser host confined to its workspace root', () => {
  it('starts the window in the workspace and lists nothing outside it', async () => {
    expect(((await call('host', 'info')).body.value as { homeDir: string }).homeDir).toBe(workspace);
    expectRefused(await call('host', 'listDirectory', '/etc', []), '/etc');
    expectRefused(await call('host', 'listDirectory', path.join(workspace, '..'), []), workspace);
    expectRefused(await call('host', 'listDirectory', path.join(workspace, 'escape'), []), 'escape');
    const listing = await call('host', 'listDirectory', workspace, []);
    expect(listing.status).toBe(200);
    const value = listing.body.value as { parent: string | null; entries: { name: string }[] };
    expect(value.parent).toBeNull();
    expect(value.entries.map((e) => e.name)).not.toContain('escape');
    expect(value.entries.map((e) => e.name)).not.toContain('link.joule');
  });

  it('hashes no file outside: project.startCheck with ../../../../etc/passwd is refused', async () => {
    const document = sampleDocument();
    const models = [{ id: 'm', label: 'passwd', path: '../../../../etc/passwd', sha256: '0'.repeat(64), sizeBytes: 1 }];
    const answer = await call('project', 'startCheck', { document: { ...document, models }, baseDir: workspace });
    expectRefused(answer, '../../../../etc/passwd');
    expect(answer.body.error!.message).not.toMatch(/[0-9a-f]{12}|bytes/);
    // An absolute path counts as well, and a base folder outside.
    expectRefused(await call('project', 'startCheck', { document: { ...document, models: [{ ...models[0], path: path.join(outside, 'secret.txt') }] }, baseDir: workspace }), 'secret.txt');
    expectRefused(await call('project', 'startCheck', { document, baseDir: outside }), outside);
  });

  it('opens no project outside and echoes no bytes of it', async () => {
    const shadow = await call('project', 'open', '/etc/shadow');
    expectRefused(shadow, '/etc/shadow');
    const secret = await call('project', 'open', path.join(outside, 'secret.txt'));
    expectRefused(secret, 'secret.txt');
    expect(secret.body.error!.message).not.toContain('root:x');
    expectRefused(await call('project', 'open', path.join(workspace, 'link.joule')), 'link.joule');
    expectRefused(await call('project', 'open', path.join(workspace, 'escape', 'outside.joule')), 'outside.joule');
  });

  it('names the file and the position of a parse error, never its bytes or escape sequences', async () => {
    const name = 'bad\u001b]0;pwned\u0007\u001b[31m.joule';
    writeFileSync(path.join(workspace, name), 'root:x:0:0:\u001b[2J\u001b[31mroot:/root\n');
    const answer = await call('project', 'open', path.join(workspace, name));
    expect(answer.status).toBe(200);
    expect(answer.body.error!.name).toBe('ProjectFileError');
    expect(answer.body.error!.message).toMatch(/is not valid JSON \(line 1, column 1\)\.$/);
    expect(answer.body.error!.message).not.toContain('root:');
    // eslint-disable-next-line no-control-regex
    expect(answer.body.error!.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('reads no JSON file through a device id', async () => {
    expectRefused(await call('devices', 'get', '../../x.json'), '../../x.json', 'id');
    expectRefused(await call('devices', 'get', path.join(outside, 'x.json')), 'x.json', 'id');
    const model = { path: 'models/lenet5.onnx', baseDir: path.join(resourcesDir, 'sample') };
    expectRefused(await call('energy', 'startAnalysis', { model, deviceIds: ['../../x.json'], precision: 'auto' }), '../../x.json', 'id');
    expectRefused(await call('energy', 'startPartition', { model, deviceId: path.join(outside, 'x.json'), uplinkMbps: 10, rttMs: 10, sloMs: null, radio: 'wifi' }), 'x.json', 'id');
    // The app's own sample stays readable, and a library id works.
    expect((await call('energy', 'startAnalysis', { model, deviceIds: ['raspberry-pi-4'], precision: 'auto' })).body.ok).toBe(true);
    expect((await call('project', 'openSample')).body.ok).toBe(true);
  });

  it('saves a project only as a .joule file inside the workspace, and copies no model from outside', async () => {
    const opened = (await call('project', 'openSample')).body.value as { document: Record<string, unknown>; baseDir: string };
    expectRefused(await call('project', 'save', { path: path.join(outside, 'stolen.joule'), baseDir: opened.baseDir, document: opened.document }), 'stolen.joule');
    expectRefused(await call('project', 'save', { path: path.join(workspace, 'escape', 'through-link.joule'), baseDir: opened.baseDir, document: opened.document }), 'through-link.joule');
    const notes = await call('project', 'save', { path: path.join(workspace, 'notes.sh'), baseDir: opened.baseDir, document: opened.document });
    expect(notes.status).toBe(403);
    expect(notes.body.error!.message).toContain('.joule');
    expect(existsSync(path.join(workspace, 'notes.sh'))).toBe(false);
    expect(readdirSync(outside).sort()).toEqual(['outside.joule', 'secret.txt', 'x.json']);
    const models = [{ id: 'm', label: 'secret', path: path.join(outside, 'secret.txt'), sha256: '0'.repeat(64), sizeBytes: 1 }];
    expectRefused(await call('project', 'save', { path: path.join(workspace, 'gather.joule'), baseDir: opened.baseDir, document: { ...opened.document, models } }), 'secret.txt');
    expect(existsSync(path.join(workspace, 'models', 'secret.txt'))).toBe(false);
    const saved = await call('project', 'save', { path: path.join(workspace, 'harbour', 'harbour.joule'), baseDir: opened.baseDir, document: opened.document });
    expect(saved.body.ok, JSON.stringify(saved.body.error)).toBe(true);
    expect(existsSync(path.join(workspace, 'harbour', 'harbour.joule'))).toBe(true);
  });

  it('uploads only model and image files, only into a project folder inside the workspace', async () => {
    const upload = (fileName: string, projectPath: string) =>
      call('models', 'startImport', { source: { kind: 'upload', fileName, dataBase64: Buffer.from('#!/bin/sh\necho pwned\n').toString('base64') }, projectPath, baseDir: workspace, id: 'x' });
    const script = await upload('evil.sh', path.join(workspace, 'p.joule'));
    expect(script.status).toBe(403);
    expect(script.body.error!.message).toContain('evil.sh');
    expect((await upload('../evil.onnx', path.join(workspace, 'p.joule'))).status).toBe(403);
    expectRefused(await upload('model.onnx', path.join(outside, 'p.joule')), 'p.joule');
    expectRefused(await upload('model.onnx', path.join(workspace, 'escape', 'p.joule')), 'p.joule');
    expect(existsSync(path.join(workspace, 'models'))).toBe(false);
    expect(readdirSync(outside)).not.toContain('models');
    expectRefused(await call('models', 'startImport', { source: { kind: 'file', path: path.join(outside, 'secret.txt') }, projectPath: null, baseDir: workspace, id: 'x' }), 'secret.txt');
  });

  it('writes no training output, export or generated file outside', async () => {
    const train = { model: 'zoo:lenet5', dataset: 'fashion-mnist', epochs: 1 };
    expectRefused(await call('training', 'start', { ...train, out: path.join(outside, 'lenet.onnx') }), 'lenet.onnx');
    expectRefused(await call('training', 'start', { ...train, out: path.join(workspace, 'escape', 'lenet.onnx') }), 'lenet.onnx');
    expect((await call('training', 'start', { ...train, out: path.join(workspace, 'lenet.sh') })).status).toBe(403);
    expectRefused(await call('training', 'start', { ...train, dataset: { folder: outside }, out: path.join(workspace, 'lenet.onnx') }), outside);
    expectRefused(await call('models', 'startExport', { name: 'lenet5', out: path.join(outside, 'lenet.onnx') }), 'lenet.onnx');
    expectRefused(await call('placement', 'startGenerateFleet', { nodes: 2, workloads: 2, out: path.join(outside, 'fleet.json') }), 'fleet.json');
    expectRefused(await call('placement', 'startGapRun', { file: '/etc/passwd', instance: 1, algo: 'greedy' }), '/etc/passwd');
    const project = { document: sampleDocument(), baseDir: path.join(resourcesDir, 'sample') };
    expectRefused(await call('plan', 'startExport', { project, outDir: path.join(outside, 'bundle') }), 'bundle');
    expectRefused(await call('plan', 'startVerify', { dir: outside }), outside);
    expectRefused(await call('energy', 'startCalibration', { outDir: outside, measurements: [] }), outside);
    const prune = { model: { zoo: 'lenet5' }, deviceId: 'raspberry-pi-4', budget: { fraction: 0.5 }, dataset: 'fashion-mnist' };
    expectRefused(await call('pruning', 'start', { ...prune, out: path.join(outside, 'p.onnx') }), 'p.onnx');
    expect(readdirSync(outside).sort()).toEqual(['outside.joule', 'secret.txt', 'x.json']);
  });

  it("keeps a project's model paths inside its folder or the workspace", async () => {
    const document = { ...sampleDocument(), models: [{ id: 'm', label: 'dev', path: '../devices/raspberry-pi-4.json', sha256: '0'.repeat(64), sizeBytes: 1 }] };
    // Inside the app's resources (readable), but outside the project's folder and the workspace.
    const answer = await call('plan', 'startCompare', { project: { document, baseDir: path.join(resourcesDir, 'sample') } });
    expectRefused(answer, '../devices/raspberry-pi-4.json');
    expectRefused(await call('placement', 'startBuildProblem', { project: { document, baseDir: path.join(resourcesDir, 'sample') } }), 'raspberry-pi-4.json');
  });

  it('answers a named pipe at once instead of waiting for a writer', async () => {
    const fifo = path.join(workspace, 'pipe.joule');
    execFileSync('mkfifo', [fifo]);
    const answer = await call('project', 'open', fifo);
    expect(answer.ms).toBeLessThan(2_000);
    expect(answer.body.error).toMatchObject({ name: 'ProjectFileError', message: `Cannot open ${fifo}: it is a named pipe, not a regular file.` });
    // The server's file routes still answer.
    expect((await call('host', 'listDirectory', workspace, [])).status).toBe(200);
  });

  it('refuses /dev/zero at once and a folder given as a file', async () => {
    const zero = await call('project', 'open', '/dev/zero');
    expectRefused(zero, '/dev/zero');
    expect(zero.ms).toBeLessThan(2_000);
    mkdirSync(path.join(workspace, 'folder.joule'));
    expect((await call('project', 'open', path.join(workspace, 'folder.joule'))).body.error!.message).toContain('it is a folder, not a file');
  });

  it('answers 400 to a malformed percent-encoding', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: host.port, path: '/assets/%E0%A4%A', headers: { 'x-joule-token': host.token } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});
