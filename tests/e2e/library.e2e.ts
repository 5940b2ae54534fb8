import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, screenshot, startAppSession } from './harness';

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startAppSession({ width: 1400, height: 1000 });
  page = app.page;
});

afterAll(() => app?.close());

describe('device library screen', () => {
  it('shows each device’s figures with their sources and the runtime its latency model describes', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Device library' }).click();
    await page.getByTestId('library-view').waitFor();
    await page.locator('.library-list [data-device="raspberry-pi-4"]').click();
    await expect.poll(() => page.getByTestId('device-runtime').textContent()).toContain('ncnn');
    expect(await page.getByTestId('device-figures').locator('tbody tr').count()).toBeGreaterThan(12);
    await page.locator('.library-list [data-device="intel-ncs2"]').click();
    await expect.poll(() => page.getByTestId('device-runtime').textContent()).toContain('No latency model fitted');
  });

  it('checks the library against published measurements and draws the scatter', async () => {
    await page.locator('.library-list [data-device="coral-dev-board"]').click();
    await page.getByTestId('run-validation').click();
    const table = page.getByTestId('validation-table');
    await table.waitFor({ timeout: 120_000 });
    expect(await table.locator('tr[data-device]').count()).toBe(7);
    expect(await table.locator('tr[data-device="raspberry-pi-4"] td').nth(2).textContent()).toBe('8');
    expect(await table.locator('tr[data-device="coral-dev-board"] td').nth(3).textContent()).toMatch(/^\d+ % · \d+ % · \d+ %$/);
    await page.getByTestId('validation-scatter').locator('canvas').waitFor();
    expect(await page.getByTestId('validation-points').locator('tbody tr').count()).toBeGreaterThan(20);
    await screenshot(page, 'library-01-validation');
    expect(app.errors).toEqual([]);
  }, 150_000);
});
