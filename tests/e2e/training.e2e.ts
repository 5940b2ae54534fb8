import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, screenshot, serve, watchErrors, type Served } from './harness';

let served: Served;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  served = await serve();
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1300, height: 900 }, locale: 'en-US' });
  watchErrors(page, errors);
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('training panel', () => {
  it('trains LeNet-5 as a job with live loss and accuracy curves, and cancels it', async () => {
    await page.goto(served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Training' }).click();
    await page.getByTestId('train-out').fill(path.join(served.home, 'lenet-ui.onnx'));
    await page.getByTestId('train-start').click();
    // Live progress: the step counter advances while the job runs.
    await expect.poll(() => page.getByTestId('train-progress').textContent(), { timeout: 60_000 }).toMatch(/step [2-9]\d* of 938/);
    await page.getByTestId('training-chart').locator('canvas').waitFor();
    await screenshot(page, 'training-01-running');
    await page.getByTestId('train-cancel').click();
    await page.getByTestId('train-cancelled').waitFor({ timeout: 30_000 });
    await screenshot(page, 'training-02-cancelled');
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
