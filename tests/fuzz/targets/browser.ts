/**
 * The browser host's request handling, in-process (as tests/host/browser-server.test.ts starts
 * it): raw HTTP requests over a socket, so request lines, percent-encodings and headers reach the
 * server exactly as written, with the token mostly right. Bodies are JSON argument lists for the
 * contract's methods with field-level mutations and paths inside, outside and around the
 * workspace root. Every answer must be a status other than 500; an API answer must be a JSON
 * envelope whose error is typed (never a bare `Error`), one line, and 403 exactly for an
 * AccessDeniedError. Methods that start jobs are left out (a fuzzed job would run models in the
 * pool for seconds); their arguments are checked by the services' own tests.
 *
 * Everything lives in one temp root: the workspace, the host's data folder, a folder "outside"
 * the workspace and the renderer's files. After the run the outside folder, the temp root's top
 * level, the app's resources and the working directory must be exactly as they were.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { apiMethods } from '../../../src-main/common/api';
import { deserializeError } from '../../../src-main/common/errors';
import { browserHostApi } from '../../../src-main/host/browser/host-api';
import { startBrowserHost, type BrowserHost } from '../../../src-main/host/browser/server';
import { createRuntime, withHost, type Runtime } from '../../../src-main/services';
import { confinedAccess } from '../../../src-main/services/file-access';
import { type FuzzRng, mutateJson, mutateText, stringifyCase } from '../mutate';
import type { FuzzTarget } from '../runner';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body: string;
}

const resourcesDir = path.resolve(import.meta.dirname, '../../../resources');
let root = '';
let workspace = '';
let outside = '';
let runtime: Runtime | undefined;
let host: BrowserHost | undefined;
let before: { outside: string; root: string; resources: string; cwd: string } | undefined;

/** Placeholders a case is written with, so a corpus file replays against any server. */
function expand(text: string): string {
  return text.replaceAll('$TOKEN', host!.token).replaceAll('$PORT', String(host!.port)).replaceAll('$WS', workspace).replaceAll('$OUT', outside);
}

const pathValues = [
  '$WS/sample.joule', '$WS/new.joule', '$WS/models/lenet5.onnx', '$WS', '$WS/', '$WS/sub/../sample.joule', '$WS/escape/secret.txt', '$WS/escape', '$WS/link.joule',
  '$WS/../', '$OUT/secret.txt', '$OUT/outside.joule', '$OUT/x.json', '$OUT/new.joule', '$OUT', '/etc/passwd', '/etc', '/dev/zero', '/proc/self/environ', '../../../../etc/passwd',
  'sample.joule', 'relative/new.joule', '', '.', '..', '~', '~/x.joule', '\u0000', '$WS/a\u0000b.joule', '$WS/%2e%2e/x.joule', '$WS/x.joule.sh', '$WS/new.sh', 'C:\\Windows\\win.ini',
  '\\\\server\\share', `$WS/${'a'.repeat(300)}.joule`, '$WS/\u001b[31m.joule', 'raspberry-pi-4', '../../x.json', 'x.json', 'raspberry-pi-4.json',
];

const pathSegments = ['%2e%2e', '..', '%2f', '%', '%zz', '%00', '%c0%ae', '%ed%a0%80', '%ff', '%e2%80%ae', '//', '\\', '.', 'api', 'events', 'assets', 'index.html', '%3f', '?', '#', ';', '%20', 'é', '💥', 'x'.repeat(3000)];
const methods = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'FOO'];

/** Contract methods that start a job in the pool: not sent (see the file comment). */
function startsJob(service: string, method: string): boolean {
  return /^start/.test(method) || (service === 'training' && (method === 'start' || method === 'evaluate')) || (service === 'pruning' && method === 'start');
}

const json = (value: unknown) => JSON.stringify(value);
const tokenHeader: [string, string] = ['x-joule-token', '$TOKEN'];

function apiCall(service: string, method: string, args: unknown[]): FuzzRequest {
  return { method: 'POST', path: `/api/${service}/${method}`, headers: [['host', '127.0.0.1:$PORT'], tokenHeader, ['content-type', 'application/json']], body: json(args) };
}

function mutatePath(p: string, rng: FuzzRng): string {
  const parts = p.split('/');
  switch (rng.int(5)) {
    case 0:
      parts.splice(1 + rng.int(parts.length), 0, rng.pick(pathSegments));
      return parts.join('/');
    case 1:
      parts[1 + rng.int(Math.max(1, parts.length - 1))] = rng.pick(pathSegments);
      return parts.join('/');
    case 2: {
      // another contract method, or a name that is not one
      const services = [...Object.keys(apiMethods), '__proto__', 'constructor', 'x'];
      const service = rng.pick(services);
      const list = (apiMethods as Record<string, readonly string[]>)[service];
      const method = Array.isArray(list) && rng.chance(0.8) ? rng.pick(list) : rng.pick(['toString', 'hasOwnProperty', '__proto__', 'constructor', '', 'list']);
      return `/api/${service}/${method}${rng.chance(0.2) ? `/${rng.pick(pathSegments)}` : ''}`;
    }
    case 3:
      return `${p}${rng.pick(['?token=$TOKEN', '?token=x', '?token=', '?a=%zz', '?token=$TOKEN&token=y', '#frag', '?'])}`;
    default:
      return mutateText(p, rng);
  }
}

function mutateHeaders(headers: [string, string][], rng: FuzzRng): [string, string][] {
  const out = headers.map(([k, v]) => [k, v] as [string, string]);
  switch (rng.int(7)) {
    case 0:
      out.splice(rng.int(out.length), 1);
      break;
    case 1:
      out.push(rng.pick<[string, string]>([
        ['origin', 'http://evil.example'], ['origin', 'http://127.0.0.1:$PORT'], ['origin', 'null'], ['host', 'evil.example'], ['host', 'localhost:$PORT'],
        ['cookie', 'joule_token=$TOKEN'], ['cookie', 'joule_token=$TOKEN; joule_token=x'], ['cookie', '=; ;;joule_token'], ['x-joule-token', 'x'], ['x-joule-token', '$TOKEN'],
        ['content-type', 'text/plain'], ['x-forwarded-for', '1.2.3.4'], ['accept-encoding', 'gzip'], ['x-long', 'y'.repeat(20_000)], ['expect', '100-continue'],
      ]));
      break;
    case 2:
      for (const h of out) if (h[0] === 'x-joule-token') h[1] = rng.pick(['', '$TOKEN ', ' $TOKEN', '$TOKEN$TOKEN', '$TOKEN'.toLowerCase(), '\u00e9', 'x']);
      break;
    case 3:
      for (const h of out) if (h[0] === 'host') h[1] = rng.pick(['127.0.0.1', '127.0.0.1:$PORT.evil', '', '[::1]:$PORT', 'LOCALHOST:$PORT', '127.0.0.1:$PORT']);
      break;
    default:
      break;
  }
  return out;
}

function mutateBody(body: string, rng: FuzzRng): string {
  // A body already nested deeper than JSON.stringify's stack gets text mutations only.
  if (rng.chance(0.15) || body.length > 20_000) return mutateText(body, rng);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return mutateText(body, rng);
  }
  if (rng.chance(0.5) && Array.isArray(doc)) {
    // a path-valued argument or field, the thing confinement is about
    const value = rng.pick(pathValues);
    if (doc.length && typeof doc[0] === 'object' && doc[0] !== null && rng.chance(0.7)) {
      const obj = doc[0] as Record<string, unknown>;
      obj[rng.pick(['path', 'baseDir', 'path', 'file', 'outputDir'])] = value;
    } else doc[rng.int(doc.length + 1)] = value;
    return json(doc);
  }
  return stringifyCase(mutateJson(doc as never, rng));
}

/** Every file under a folder, with sizes and modification times: "nothing changed" in one string. */
function snapshot(dir: string, depth = 6): string {
  const lines: string[] = [];
  const walk = (d: string, level: number) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(d, n);
      const s = statSync(p, { throwIfNoEntry: false });
      lines.push(`${p} ${s?.size ?? '?'} ${s?.mtimeMs ?? '?'}`);
      if (s?.isDirectory() && level > 0) walk(p, level - 1);
    }
  };
  walk(dir, depth);
  return lines.join('\n');
}

/** The body of a chunked answer (sizes in hex, each chunk followed by CRLF). */
function unchunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    if (eol < 0) return out;
    const size = parseInt(text.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += Buffer.from(text.slice(eol + 2), 'utf8').subarray(0, size).toString('utf8');
    at = eol + 2 + Buffer.from(text.slice(eol + 2), 'utf8').subarray(0, size).toString('utf8').length + 2;
  }
}

function exchange(raw: Buffer, port: number): Promise<{ status: number; headers: string; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (value: { status: number; headers: string; body: string } | { error: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const parse = () => {
      // An interim "100 Continue" (the request sent Expect) comes before the answer.
      const text = Buffer.concat(chunks).toString('utf8').replace(/^(HTTP\/1\.1 100 Continue\r\n(?:[^\r\n]+\r\n)*\r\n)+/, '');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const head = text.slice(0, end);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const rest = text.slice(end + 4);
      return { status, headers: head, body: /transfer-encoding: chunked/i.test(head) ? unchunk(rest) : rest };
    };
    const timer = setTimeout(() => finish({ error: 'no complete answer within 1.5 s' }), 1500);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const answer = parse();
      // An event stream stays open: its headers are the answer.
      if (answer && /content-type: text\/event-stream/i.test(answer.headers)) finish(answer);
    });
    socket.on('error', () => finish(parse() ?? { error: 'the connection failed before an answer' }));
    socket.on('end', () => finish(parse() ?? { error: 'the server closed the connection without an answer' }));
    socket.write(raw);
  });
}

const typedNames = new Set(['JouleError', 'ProjectFileError', 'InvalidRequestError', 'NotFoundError', 'JobFailedError', 'JobCancelledError', 'AccessDeniedError', 'UnsupportedError', 'ScheduleError', 'DeviceLibraryError', 'OnnxError', 'UnsupportedOperatorError']);

export const browserTarget: FuzzTarget<FuzzRequest> = {
  name: 'browser',
  extension: 'json',
  async seeds() {
    const sample = JSON.parse(readFileSync(path.join(resourcesDir, 'sample', 'sample.joule'), 'utf8'));
    const get = (p: string, headers: [string, string][] = [['host', '127.0.0.1:$PORT'], ['cookie', 'joule_token=$TOKEN']]): FuzzRequest => ({ method: 'GET', path: p, headers, body: '' });
    const seeds: FuzzRequest[] = [
      get('/'),
      get('/?token=$TOKEN', [['host', '127.0.0.1:$PORT']]),
      get('/assets/app.js'),
      get('/api/events'),
      get('/some/client/route'),
      apiCall('project', 'open', ['$WS/sample.joule']),
      apiCall('project', 'read', ['$WS/sample.joule']),
      apiCall('project', 'validate', [sample]),
      apiCall('project', 'save', [{ path: '$WS/saved.joule', baseDir: '$WS', document: sample }]),
      apiCall('project', 'writeRecovery', [{ path: '$WS/sample.joule', baseDir: '$WS', document: sample, savedAt: 1 }]),
      apiCall('project', 'forgetRecent', ['$WS/sample.joule']),
      apiCall('project', 'recent', []),
      apiCall('host', 'listDirectory', ['$WS', ['.joule']]),
      apiCall('host', 'info', []),
      apiCall('devices', 'get', ['raspberry-pi-4']),
      apiCall('devices', 'list', []),
      apiCall('jobs', 'result', ['job-1']),
      apiCall('jobs', 'cancel', ['job-1']),
      apiCall('energy', 'profiles', []),
      apiCall('models', 'zoo', []),
    ];
    return seeds.map((s) => ({ name: `${s.method} ${s.path}${s.body ? ` ${s.body.slice(0, 40)}` : ''}`, input: s }));
  },
  mutate(seed, rng) {
    const out: FuzzRequest = { method: seed.method, path: seed.path, headers: seed.headers, body: seed.body };
    const rounds = 1 + rng.int(2);
    for (let r = 0; r < rounds; r++) {
      const what = rng.int(10);
      if (what < 3) out.path = mutatePath(out.path, rng);
      else if (what < 5) out.headers = mutateHeaders(out.headers, rng);
      else if (what < 9) out.body = mutateBody(out.body || '[]', rng);
      else out.method = rng.pick(methods);
    }
    return out;
  },
  async open() {
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'joule-fuzz-browser-')));
    workspace = path.join(root, 'workspace');
    outside = path.join(root, 'outside');
    const data = path.join(root, 'data');
    const rendererDir = path.join(root, 'renderer');
    for (const d of [workspace, outside, data, path.join(rendererDir, 'assets')]) mkdirSync(d, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Joule</title>');
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    cpSync(path.join(resourcesDir, 'sample', 'sample.joule'), path.join(workspace, 'sample.joule'));
    mkdirSync(path.join(workspace, 'models'));
    cpSync(path.join(resourcesDir, 'models', 'lenet5.onnx'), path.join(workspace, 'models', 'lenet5.onnx'));
    writeFileSync(path.join(outside, 'secret.txt'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(path.join(outside, 'x.json'), readFileSync(path.join(resourcesDir, 'devices', 'raspberry-pi-4.json')));
    cpSync(path.join(resourcesDir, 'sample', 'sample.joule'), path.join(outside, 'outside.joule'));
    symlinkSync(outside, path.join(workspace, 'escape'));
    symlinkSync(path.join(outside, 'outside.joule'), path.join(workspace, 'link.joule'));
    const fileAccess = confinedAccess({ root: workspace, readOnly: [resourcesDir] });
    runtime = await createRuntime({ resourcesDir, dataDir: data, documentsDir: workspace, poolSize: 1, fileAccess });
    host = await startBrowserHost({ services: withHost(runtime, browserHostApi(fileAccess)), events: runtime.events, rendererDir });
    before = { outside: snapshot(outside), root: readdirSync(root).sort().join(','), resources: snapshot(resourcesDir), cwd: readdirSync(process.cwd()).sort().join(',') };
  },
  async close() {
    await host?.close();
    await runtime?.close();
    const changed: string[] = [];
    if (before) {
      if (snapshot(outside) !== before.outside) changed.push(`the folder outside the workspace changed:\n${snapshot(outside)}`);
      if (readdirSync(root).sort().join(',') !== before.root) changed.push(`the temp root's top level changed: ${readdirSync(root).sort().join(',')}`);
      if (snapshot(resourcesDir) !== before.resources) changed.push('the read-only resources changed');
      if (readdirSync(process.cwd()).sort().join(',') !== before.cwd) changed.push(`the working directory changed: ${readdirSync(process.cwd()).sort().join(',')}`);
    }
    rmSync(root, { recursive: true, force: true });
    host = undefined;
    runtime = undefined;
    return changed.join('; ') || undefined;
  },
  async run(request) {
    const target = (() => {
      try {
        return new URL(expand(request.path), 'http://127.0.0.1').pathname.split('/');
      } catch {
        return [];
      }
    })();
    if (target[1] === 'api' && startsJob(target[2] ?? '', target[3] ?? '')) return;
    const body = Buffer.from(expand(request.body));
    const head = [`${request.method} ${expand(request.path)} HTTP/1.1`, ...request.headers.map(([k, v]) => `${k}: ${expand(v)}`), `content-length: ${body.length}`, 'connection: close'];
    const answer = await exchange(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]), host!.port);
    if ('error' in answer) return answer.error;
    if (answer.status === 500) return `HTTP 500: ${answer.body.slice(0, 200)}`;
    if (answer.status === 0) return `not an HTTP answer: ${answer.headers.slice(0, 100)}`;
    if (/content-type: application\/json/i.test(answer.headers) && target[1] === 'api') {
      let envelope: { ok: boolean; error?: { name: string; message: string } };
      try {
        envelope = JSON.parse(answer.body);
      } catch {
        return `an API answer that is not JSON: ${answer.body.slice(0, 100)}`;
      }
      if (!envelope.ok) {
        const e = envelope.error!;
        if (!typedNames.has(e.name)) return `an untyped error crossed the boundary: ${e.name}: ${e.message.slice(0, 200)}`;
        if (/[\n\r]/.test(e.message) || e.message.length > 2000) return `a ${e.name} message of ${e.message.length} characters or several lines: ${e.message.slice(0, 200)}`;
        if ((answer.status === 403) !== (e.name === 'AccessDeniedError')) return `HTTP ${answer.status} for a ${e.name}`;
        // A well-formed refusal: re-created as the window would, and counted as a typed error.
        throw deserializeError(e);
      }
    }
  },
  namesCulprit: () => true,
  encode: (request) => new TextEncoder().encode(`${JSON.stringify(request, null, 1)}\n`),
  decode: (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as FuzzRequest,
};
