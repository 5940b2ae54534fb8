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

describe('placement screen', () => {
  it('runs the improved ACO and the baselines on the sample project and shows the cluster map', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Placement' }).click();
    await page.getByTestId('workload-table').waitFor();
    for (const algo of ['ffd', 'mip']) await page.getByTestId(`algo-${algo}`).uncheck();
    await page.getByTestId('run-placement').click();
    await page.locator('[data-testid="placement-table"] tr[data-algo="aco"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="placement-table"] tr[data-algo="greedy"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="placement-table"] tr[data-algo="aco"] td').nth(6).textContent()).toBe('✓');
    await page.getByTestId('placement-map').waitFor();
    expect(await page.locator('.board-node').count()).toBe(44);
    expect(await page.locator('[data-workload-chip]').count()).toBe(12);
    await page.getByTestId('node-bars').locator('canvas').waitFor();
    await page.getByTestId('convergence-chart').locator('canvas').waitFor();
    await screenshot(page, 'placement-01-map');
  });

  it('keeps the runs and the map when the planner visits another screen and comes back', async () => {
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Placement' }).click();
    await page.locator('[data-testid="placement-table"] tr[data-algo="aco"]').waitFor();
    expect(await page.locator('[data-workload-chip]').count()).toBe(12);
  });

  it('runs the improved ACO with two colonies in worker threads', async () => {
    for (const algo of ['greedy']) await page.getByTestId(`algo-${algo}`).uncheck();
    await page.getByTestId('aco-colonies').fill('2');
    await page.getByTestId('run-placement').click();
    await expect.poll(() => page.locator('[data-testid="placement-table"] tr').count(), { timeout: 60_000 }).toBe(2);
    expect(await page.locator('[data-testid="placement-table"] tr[data-algo="aco"] td').nth(6).textContent()).toBe('✓');
    await page.getByTestId('aco-colonies').fill('1');
    await page.getByTestId('algo-greedy').check();
  });

  it('re-checks the placement when a workload is dragged to another node', async () => {
    const before = await page.getByTestId('placement-objective').textContent();
    const chip = page.locator('[data-workload-chip="w-gate-1"]');
    const host = await chip.locator('xpath=ancestor::div[@data-node]').getAttribute('data-node');
    const target = page.locator(`.board-node[data-node]:not([data-node="${host}"])`).first();
    const targetId = await target.getAttribute('data-node');
    await chip.dragTo(target);
    await expect.poll(() => page.locator(`.board-node[data-node="${targetId}"] [data-workload-chip="w-gate-1"]`).count()).toBe(1);
    await expect.poll(() => page.getByTestId('placement-objective').textContent()).not.toBe(before);
    expect(await page.locator('.map-header h2').textContent()).toContain('edited');
    await page.getByTestId('accept-placement').click();
    await page.getByTestId('dirty-marker').waitFor();
    await screenshot(page, 'placement-02-moved');
  });

  it('offers a cloud: the link settings, a per-workload offload switch and the cloud on the map', async () => {
    await page.getByTestId('cloud-enable').check();
    const firstWorkload = page.locator('[data-testid^="offload-"]').first();
    await firstWorkload.waitFor();
    expect(await firstWorkload.isChecked()).toBe(true);
    await firstWorkload.uncheck();
    await page.getByTestId('algo-greedy').uncheck();
    await page.getByTestId('run-placement').click();
    await page.locator('[data-testid="placement-table"] tr[data-algo="aco"]').waitFor({ timeout: 60_000 });
    await page.locator('.board-node[data-node="cloud#1"]').waitFor();
    expect(await page.locator('.board-node').count()).toBe(45);
    expect(await page.locator('[data-testid="placement-table"] tr[data-algo="aco"] td').nth(6).textContent()).toBe('✓');
    await screenshot(page, 'placement-03-cloud');
  });

  it('names a bad cloud setting and refuses to accept a placement the project no longer matches', async () => {
    const rtt = page.getByTestId('cloud-settings').locator('input[type="number"]').nth(1);
    await rtt.fill('');
    await rtt.press('Tab');
    await expect.poll(() => page.getByTestId('placement-settings-problems').textContent()).toContain('placement.cloud.rttMs');
    expect(await page.getByTestId('run-placement').isDisabled()).toBe(true);
    await rtt.fill('40');
    await rtt.press('Tab');
    await page.getByTestId('placement-settings-problems').waitFor({ state: 'detached' });
    await page.getByTestId('cloud-enable').uncheck();
    await page.getByTestId('placement-stale').waitFor();
    expect(await page.getByTestId('accept-placement').isDisabled()).toBe(true);
  });

  it('raised no page errors', () => {
    expect(app.errors).toEqual([]);
  });
});
