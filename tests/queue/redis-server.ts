/**
 * A real redis-server (Debian's package) on a free loopback port for the queue tests, started and
 * stopped by the test; and `joule worker` processes against it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p)) ?? null;

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 (openssl), for a TLS-only redis-server. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

export async function startRedis(options: { password?: string; tls?: { cert: string; key: string } } = {}): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed (apt-get install -y redis-server).');
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-redis-'));
  const tls = options.tls ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.cert, '--tls-key-file', options.tls.key, '--tls-ca-cert-file', options.tls.cert, '--tls-auth-clients', 'no'] : ['--port', String(port)];
  const args = [...tls, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...(options.password ? ['--requirepass', options.password] : [])];
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}:\n${log}`)), 10_000);
    const check = () => {
      if (/Ready to accept connections/.test(log)) {
        clearTimeout(timer);
        resolve();
      } else setTimeout(check, 50);
    };
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${log}`)));
    check();
  });
  const auth = options.password ? `:${options.password}@` : '';
  return {
    url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    port,
    stop: () => stopProcess(child),
  };
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Events the worker printed (`--json`), in order. */
  events: { event: string; [key: string]: unknown }[];
  /** Resolves with the first event matching. */
  waitFor(match: (e: { event: string; [key: string]: unknown }) => boolean, timeoutMs?: number): Promise<{ event: string; [key: string]: unknown }>;
  stderr(): string;
}

const repo = path.resolve(import.meta.dirname, '..', '..');

/** `joule worker --json` in a process of its own, with its own data folder and cache (or `home`'s, shared). */
export async function startWorker(url: string, extra: string[] = [], home = mkdtempSync(path.join(os.tmpdir(), 'joule-worker-'))): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'src-main/host/cli/joule.ts'), 'worker', '--redis', url, '--json', '--cache', mkdtempSync(path.join(home, 'cache-')), ...extra], {
    cwd: repo,
    env: { ...process.env, JOULE_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WorkerProcess['events'] = [];
  const waiters: { match: (e: WorkerProcess['events'][number]) => boolean; resolve: (e: WorkerProcess['events'][number]) => void }[] = [];
  let buffer = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.trim()) continue;
      const event = JSON.parse(line) as WorkerProcess['events'][number];
      events.push(event);
      for (const w of [...waiters]) {
        if (!w.match(event)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  });
  const worker: WorkerProcess = {
    child,
    events,
    stderr: () => err,
    waitFor(match, timeoutMs = 60_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`The worker did not report the awaited event within ${timeoutMs} ms. Events: ${JSON.stringify(events)}\n${err}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
  };
  await worker.waitFor((e) => e.event === 'ready', 60_000);
  return worker;
}
