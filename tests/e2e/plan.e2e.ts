import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, screenshot, startAppSession } from './harness';

let app: AppSession;
let page: Page;
let outDir: string;

beforeAll(async () => {
  app = await startAppSession({ width: 1400, height: 1000 });
  page = app.page;
  // Inside the served workspace root (the temporary home): the browser host writes nowhere else.
  outDir = path.join(app.served.home, 'bundles', 'harbour-bundle');
});

afterAll(() => app?.close());

describe('plan screen', () => {
  it('offers the demo on first start', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    const banner = page.getByTestId('demo-banner');
    await banner.waitFor();
    expect(await banner.getByTestId('run-demo').isEnabled()).toBe(true);
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => banner.count()).toBe(0);
  });

  it('runs the joint search on the sample, compares it with the two simpler strategies and shows the map', async () => {
    await page.getByRole('link', { name: 'Plan' }).click();
    await page.getByTestId('plan-view').waitFor();
    expect(await page.getByTestId('export-needs-plan').isVisible()).toBe(true);
    await page.getByTestId('plan-time-limit').fill('1');
    await page.getByTestId('run-plan').click();
    const table = page.getByTestId('plan-strategies');
    await table.waitFor({ timeout: 90_000 });
    for (const key of ['joint', 'originals', 'oneVariant']) await table.locator(`tr[data-strategy="${key}"]`).waitFor();
    expect(await table.locator('tr[data-strategy="joint"] td').nth(3).textContent()).toBe('✓');
    expect(await table.locator('tr[data-strategy="originals"] td').nth(1).textContent()).toMatch(/kJ$/);
    expect(await page.locator('[data-workload-chip]').count()).toBe(12);
  });

  it('accepts the plan and exports a bundle with progress and the written path', async () => {
    await page.getByTestId('accept-plan').click();
    await expect.poll(() => page.getByTestId('accept-plan').textContent()).toBe('Accepted');
    await page.getByTestId('export-dir').fill(outDir);
    await page.getByTestId('export-k8s').check();
    await page.getByTestId('export-bundle').click();
    await page.getByTestId('export-done').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('export-path').textContent()).toBe(outDir);
    expect(existsSync(path.join(outDir, 'SHA256SUMS'))).toBe(true);
    expect(existsSync(path.join(outDir, 'k8s'))).toBe(true);
    await screenshot(page, 'plan-01-exported');
  });

  it('refuses to export into the same folder again, saying why, and leaves it as it was', async () => {
    const before = readFileSync(path.join(outDir, 'SHA256SUMS'));
    await page.getByTestId('export-bundle').click();
    await expect.poll(() => page.getByTestId('export-section').getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/is not empty; choose a new or an empty folder\./);
    expect(readFileSync(path.join(outDir, 'SHA256SUMS')).equals(before)).toBe(true);
  });

  it("opens the bundle's HTML report in Chromium, with the placement map", async () => {
    const report = await app.browser.newPage({ viewport: { width: 1200, height: 900 } });
    await report.goto(pathToFileURL(path.join(outDir, 'report.html')).href);
    const map = report.locator('#map svg');
    await map.waitFor();
    const csv = readFileSync(path.join(outDir, 'fleet.csv'), 'utf8').trim().split('\n');
    expect(await map.locator('g[data-node]').count()).toBe(new Set(csv.slice(1).map((row) => row.split(',')[0])).size);
    expect(await map.locator('text.chip').count()).toBe(12);
    expect(await report.locator('h1').textContent()).toContain('deployment plan');
    await screenshot(report, 'plan-02-bundle-report');
    await report.close();
    expect(app.errors).toEqual([]);
  });
});
