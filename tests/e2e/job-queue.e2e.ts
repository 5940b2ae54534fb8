/**
 * Where long jobs run, in the window: a Redis that does not answer is refused with its sentence
 * (the setting stays on this computer); a real redis-server is taken, with its password kept off
 * the screen; when it goes away, a placement run fails with the queue's sentence in the jobs panel
 * and "Run on this computer" finishes it here, its result on the placement screen.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_SERVER, startRedis, type RedisServer } from '../queue/redis-server';
import { type AppSession, screenshot, startAppSession } from './harness';

const PASSWORD = 's3cret-e2e';
const redisMissing = REDIS_SERVER === null;
if (redisMissing) console.warn('job-queue e2e: the real-Redis test is skipped because redis-server is missing (apt-get install redis-server).');

let app: AppSession;
let page: Page;
let redis: RedisServer | null = null;

beforeAll(async () => {
  app = await startAppSession({ width: 1400, height: 1000 });
  page = app.page;
});

afterAll(async () => {
  await stopRedis();
  await app?.close();
});

async function stopRedis(): Promise<void> {
  const server = redis;
  redis = null;
  await server?.stop();
}

const status = () => page.getByTestId('queue-status');
const queueFile = () => path.join(app.served.home, 'data', 'queue.json');

describe('where long jobs run', () => {
  it('refuses a Redis that does not answer with its sentence, and long jobs stay on this computer', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await expect.poll(() => page.getByTestId('queue-toggle').textContent()).toContain('Long jobs run on this computer');
    await page.getByTestId('queue-toggle').click();
    await page.getByTestId('queue-settings').waitFor();
    await expect.poll(() => status().textContent()).toContain('Long jobs run on this computer.');
    expect(await page.getByTestId('queue-choice-local').isChecked()).toBe(true);

    await page.getByTestId('queue-choice-queue').check();
    await page.getByTestId('queue-url').fill('redis://127.0.0.1:1');
    await page.getByTestId('queue-use').click();
    const notice = page.getByTestId('notice').filter({ hasText: 'could not reach the job queue' });
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain('Joule could not reach the job queue at redis://127.0.0.1:1');
    expect(await page.getByTestId('queue-choice-local').isChecked()).toBe(true);
    expect(await status().textContent()).toContain('Long jobs run on this computer.');
    expect(await page.getByTestId('queue-toggle').textContent()).toContain('Long jobs run on this computer');
    expect(existsSync(queueFile())).toBe(false);
    await notice.getByRole('button').click();
  });

  it.skipIf(redisMissing)('uses a real Redis, then runs a placement that could not reach it on this computer', async () => {
    redis = await startRedis({ password: PASSWORD });
    const port = redis.port;
    const shown = `redis://:***@127.0.0.1:${port}`;

    await page.getByTestId('queue-choice-queue').check();
    await page.getByTestId('queue-url').fill(`redis://:${PASSWORD}@127.0.0.1:${port}`);
    await page.getByTestId('queue-use').click();
    await expect.poll(() => status().textContent(), { timeout: 15_000 }).toContain(`The job queue at ${shown} answers.`);
    expect(await status().textContent()).toContain('No queue worker is running');
    expect(await page.getByTestId('queue-choice-queue').isChecked()).toBe(true);
    expect(await page.getByTestId('queue-toggle').textContent()).toContain(`Long jobs go to the job queue at ${shown}`);
    // The password is kept by the host (queue.json, for the next session), never shown back.
    expect(await page.getByTestId('queue-url').inputValue()).toBe('');
    expect(await page.content()).not.toContain(PASSWORD);
    expect(JSON.parse(readFileSync(queueFile(), 'utf8')).url).toBe(`redis://:${PASSWORD}@127.0.0.1:${port}`);
    await screenshot(page, 'job-queue-01-reachable');

    await stopRedis();
    await page.getByRole('link', { name: 'Placement' }).click();
    await page.getByTestId('workload-table').waitFor();
    for (const algo of ['aco', 'ffd', 'mip']) await page.getByTestId(`algo-${algo}`).uncheck();
    await page.getByTestId('run-placement').click();
    const unsent = page.getByTestId('job-unsent');
    await unsent.waitFor({ timeout: 20_000 });
    expect(await unsent.textContent()).toContain(`the job queue at ${shown}`);
    expect(await unsent.textContent()).toContain('can run on this computer instead');
    expect(await page.getByTestId('use-local').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('queue-toggle').textContent(), { timeout: 10_000 }).toContain(`${shown}, which does not answer`);
    const title = (await page.locator('.job.unsent .job-title').textContent())!;
    await screenshot(page, 'job-queue-02-unsent');

    await page.getByTestId('run-here').click();
    await page.locator('[data-testid="placement-table"] tr[data-algo="greedy"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="placement-table"] tr[data-algo]').count()).toBe(1);
    await page.getByTestId('placement-map').waitFor();
    expect(await page.getByTestId('run-here').count()).toBe(0);
    // The jobs panel tells both stories: the queue job started again here, and the local job done.
    await page.locator('.jobs-toggle').click();
    expect(await page.locator('.job.failed[data-job^="queue-"]').textContent()).toContain('Started again on this computer.');
    expect(await page.locator('.job.succeeded:not([data-job^="queue-"])').filter({ hasText: title }).count()).toBe(1);
    await screenshot(page, 'job-queue-03-ran-here');

    // Back to this computer for long jobs: the choice is forgotten on disk too.
    await page.getByTestId('queue-choice-local').check();
    await page.getByTestId('queue-use').click();
    await expect.poll(() => page.getByTestId('queue-toggle').textContent()).toContain('Long jobs run on this computer');
    expect(existsSync(queueFile())).toBe(false);
  });

  it('raised no page errors', () => {
    expect(app.errors).toEqual([]);
  });
});
