/**
 * Starts `joule serve` as a user would (a child process printing its URL) with a fresh data
 * folder, and a headless Chromium driven by playwright-core. Screenshots go to test-results/e2e.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const artifactsDir = path.join(repoRoot, 'test-results', 'e2e');

export interface Served {
  url: string;
  port: number;
  home: string;
  stop(): Promise<void>;
}

export async function serve(): Promise<Served> {
  if (!existsSync(path.join(repoRoot, 'out/renderer/index.html'))) throw new Error('Build the window first: npm run build:renderer');
  const home = mkdtempSync(path.join(os.tmpdir(), 'joule-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src-main/host/cli/joule.ts', 'serve', '--json'], {
    cwd: repoRoot,
    env: { ...process.env, JOULE_HOME: path.join(home, 'data'), HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`joule serve exited with ${code}: ${stderr}`)));
  });
  const { url, port } = JSON.parse(line) as { url: string; port: number };
  return {
    url,
    port,
    home,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('Chromium is missing: apt-get install -y chromium (or set CHROMIUM_PATH).');
  return found;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Collects page errors and console errors (CSP violations land there too). */
export function watchErrors(page: Page, errors: string[] = []): string[] {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AppSession {
  served: Served;
  browser: Browser;
  page: Page;
  /** Page errors and console errors seen so far (a test asserts it stays empty). */
  errors: string[];
  close(): Promise<void>;
}

/** `joule serve` plus a Chromium page watching for errors, for one e2e file. */
export async function startAppSession(viewport = { width: 1440, height: 960 }): Promise<AppSession> {
  const served = await serve();
  const browser = await launch();
  const page = await browser.newPage({ viewport, locale: 'en-US' });
  const errors = watchErrors(page);
  return {
    served,
    browser,
    page,
    errors,
    close: async () => {
      await browser.close();
      await served.stop();
    },
  };
}
