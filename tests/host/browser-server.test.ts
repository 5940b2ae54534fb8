import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, withHost, type Runtime } from '../../src-main/services';
import { startBrowserHost, type BrowserHost } from '../../src-main/host/browser/server';
import { browserHostApi } from '../../src-main/host/browser/host-api';
import { confinedAccess } from '../../src-main/services/file-access';

const resourcesDir = path.resolve(import.meta.dirname, '../../resources');
let runtime: Runtime;
let host: BrowserHost;
let base: string;
let workspace: string;

/** A raw request, so Host and Origin headers can be forged (fetch forbids setting Host). */
function request(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'joule-renderer-'));
  mkdirSync(path.join(rendererDir, 'assets'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Joule</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'joule-workspace-')));
  const fileAccess = confinedAccess({ root: workspace, readOnly: [resourcesDir] });
  runtime = await createRuntime({ resourcesDir, dataDir: mkdtempSync(path.join(os.tmpdir(), 'joule-data-')), documentsDir: workspace, poolSize: 1, fileAccess });
  host = await startBrowserHost({ services: withHost(runtime, browserHostApi(fileAccess)), events: runtime.events, rendererDir });
  base = `http://127.0.0.1:${host.port}`;
});
afterAll(async () => {
  await host.close();
  await runtime.close();
});

describe('browser host', () => {
  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('answers 401 to every request without the token', async () => {
    for (const pathname of ['/', '/assets/app.js', '/api/events']) expect((await request(pathname)).status).toBe(401);
    expect((await request('/api/devices/list', { method: 'POST', body: '[]' })).status).toBe(401);
    expect((await request('/?token=wrong')).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly SameSite cookie and drops it from the address', async () => {
    const res = await request(`/?token=${host.token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers['set-cookie']?.[0]).toMatch(/^joule_token=.+; HttpOnly; SameSite=Strict; Path=\//);
    const page = await request('/', { headers: { cookie: `joule_token=${host.token}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses other origins and foreign Host headers', async () => {
    const auth = { 'x-joule-token': host.token };
    expect((await request('/api/devices/list', { method: 'POST', body: '[]', headers: { ...auth, origin: 'https://evil.example' } })).status).toBe(403);
    expect((await request('/', { headers: { ...auth, host: 'evil.example:80' } })).status).toBe(403);
    expect((await request('/api/devices/list', { method: 'POST', body: '[]', headers: { ...auth, origin: base } })).status).toBe(200);
  });

  it('serves the API as envelopes', async () => {
    const res = await fetch(`${base}/api/devices/get`, { method: 'POST', headers: { 'x-joule-token': host.token }, body: JSON.stringify(['intel-ncs2']) });
    expect(await res.json()).toMatchObject({ ok: true, value: { id: 'intel-ncs2' } });
    const missing = path.join(workspace, 'nowhere', 'x.joule');
    const bad = await fetch(`${base}/api/project/open`, { method: 'POST', headers: { 'x-joule-token': host.token }, body: JSON.stringify([missing]) });
    expect(await bad.json()).toEqual({ ok: false, error: { name: 'ProjectFileError', message: `Cannot open ${missing}: the file does not exist.` } });
  });

  it('streams job events over server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/events`, { headers: { 'x-joule-token': host.token }, signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const { document, baseDir } = await runtime.services.project.openSample();
    const jobId = await runtime.services.project.startCheck({ document, baseDir });
    let text = '';
    while (!text.includes('"state":"succeeded"')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toContain(`"type":"job.updated","job":{"id":"${jobId}"`);
  });
});
