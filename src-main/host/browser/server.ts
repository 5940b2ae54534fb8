/**
 * The browser host: serves the built window and the Joule API on 127.0.0.1 only.
 *
 * Every request must carry the per-launch token: in the printed URL (`?token=`), which the server
 * trades for an HttpOnly, SameSite=Strict cookie and a redirect that drops it from the address
 * bar, or in an `x-joule-token` header for scripts. Requests from other origins and with a
 * foreign Host header (DNS rebinding) are refused. Events stream as server-sent events.
 *
 * Routes: `POST /api/<service>/<method>` with a JSON list of arguments -> JSON envelope (HTTP 403
 * when the error is an AccessDeniedError: a path outside the workspace root the services were
 * given); `GET /api/events` -> text/event-stream; anything else -> the renderer's files. A path
 * that is not valid percent-encoding answers 400.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { JouleServices } from '../../common/api';
import type { EventBus } from '../../services/event-bus';
import { dispatch } from '../../services/dispatch';
import { contentSecurityPolicy } from '../../common/csp';

export interface BrowserHostOptions {
  services: JouleServices;
  events: EventBus;
  /** Folder of the built renderer (`index.html` and assets). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'joule_token';
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const SSE_KEEPALIVE_MS = 15_000;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const rendererDir = path.resolve(options.rendererDir);
  try {
    await fs.access(path.join(rendererDir, 'index.html'));
  } catch {
    throw new Error(`The window's files are missing from ${rendererDir}; run "npm run build:renderer" first.`);
  }
  const streams = new Set<http.ServerResponse>();
  let port = 0;

  const tokenMatches = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `Joule could not answer: ${error.message}`);
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      return send(res, 403, 'text/plain; charset=utf-8', 'Joule answers only on 127.0.0.1.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) {
      return send(res, 403, 'text/plain; charset=utf-8', `Requests from ${origin} are not allowed.`);
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'The request address is not a valid URL.');
    }
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && tokenMatches(queryToken) && req.method === 'GET') {
      url.searchParams.delete('token');
      res.writeHead(303, {
        'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname + url.search,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    const authorized = tokenMatches(req.headers['x-joule-token'] as string | undefined) || tokenMatches(cookieValue(req.headers.cookie, COOKIE));
    if (!authorized) {
      return send(res, 401, 'text/plain; charset=utf-8', 'Joule needs the token from the address printed when the server started.');
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'API calls use POST.');
      const [, , service, method] = url.pathname.split('/');
      const args = await readJsonBody(req);
      const envelope = args.ok ? await dispatch(options.services, service ?? '', method ?? '', args.value) : args.envelope;
      const status = !envelope.ok && envelope.error.name === 'AccessDeniedError' ? 403 : 200;
      return send(res, status, 'application/json; charset=utf-8', JSON.stringify(envelope));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
    return serveStatic(url.pathname, res);
  }

  function openEventStream(res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = options.events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
    res.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    });
  }

  async function serveStatic(pathname: string, res: http.ServerResponse): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'The request path is not valid percent-encoding.');
    }
    if (decoded.includes('\0')) return send(res, 400, 'text/plain; charset=utf-8', 'The request path holds a NUL character.');
    let file = path.resolve(rendererDir, `.${decoded}`);
    if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
    const stat = await fs.stat(file).catch(() => null);
    // Client-side routes fall back to the window's entry page.
    if (!stat || stat.isDirectory()) file = path.join(rendererDir, 'index.html');
    const body = await fs.readFile(file);
    const type = contentTypes[path.extname(file)] ?? 'application/octet-stream';
    const headers: http.OutgoingHttpHeaders = {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    };
    if (type.startsWith('text/html')) headers['content-security-policy'] = contentSecurityPolicy;
    res.writeHead(200, headers);
    res.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

async function readJsonBody(
  req: http.IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; envelope: { ok: false; error: { name: string; message: string } } }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return bad(`The request is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, value: text ? JSON.parse(text) : [] };
  } catch {
    return bad('The request body is not valid JSON.');
  }
  function bad(message: string) {
    return { ok: false as const, envelope: { ok: false as const, error: { name: 'InvalidRequestError', message } } };
  }
}
