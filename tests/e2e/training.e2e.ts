import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, screenshot, startAppSession } from './harness';

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startAppSession({ width: 1300, height: 900 });
  page = app.page;
});

afterAll(() => app?.close());

describe('training panel', () => {
  it('trains LeNet-5 as a job with live loss and accuracy curves, and cancels it', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Training' }).click();
    await page.getByTestId('train-out').fill(path.join(app.served.home, 'lenet-ui.onnx'));
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
    expect(app.errors).toEqual([]);
  });
});
