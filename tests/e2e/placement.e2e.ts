/**
 * The placement screen end to end on the sample: runs compared, names on the map, drags re-checked
 * (violations in words, Accept off while they exist), transfers between sites, accepting, the
 * accepted plan shown and marked when the project is opened again (and out of date once the
 * project changes), the cloud, and New clearing the screen.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
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
    // Nodes by their device row's name, the id in the tooltip; algorithms spelled out.
    const gate = page.locator('.board-node[data-node="dev-1#2"]');
    expect(await gate.locator('.node-name').textContent()).toBe('Gate camera 2 of 4');
    expect(await gate.getAttribute('title')).toContain('dev-1#2');
    expect(await page.locator('[data-testid="placement-table"] tr[data-algo="aco"] td').first().textContent()).toBe('Improved ACO');
    expect(await page.getByTestId('algo-mip').locator('xpath=..').textContent()).toContain('Exact MIP (HiGHS)');
    await page.getByTestId('placement-flows').waitFor();
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

  it('re-checks the placement when a workload is dragged to another node, and draws the transfer it causes', async () => {
    const before = await page.getByTestId('placement-objective').textContent();
    const chip = page.locator('[data-workload-chip="w-gate-1"]');
    // The forklift assist box in Warehouse 3: the gate's frames cross the quay fibre.
    await chip.dragTo(page.locator('.board-node[data-node="dev-5#1"]'));
    await expect.poll(() => page.locator('.board-node[data-node="dev-5#1"] [data-workload-chip="w-gate-1"]').count()).toBe(1);
    await expect.poll(() => page.getByTestId('placement-objective').textContent()).not.toBe(before);
    expect(await page.locator('.map-header h2').textContent()).toContain('edited');
    const flow = page.locator('[data-testid="placement-flows"] [data-flow="Harbour gate>Warehouse 3"]');
    await flow.waitFor();
    expect(await flow.textContent()).toMatch(/Harbour gate → Warehouse 3.*b\/s/);
    await screenshot(page, 'placement-02-moved');
  });

  it('words violations with names and units, and keeps Accept off while they exist', async () => {
    // The site gateway at the solar field: no link joins it to the harbour.
    // Source and target both on screen: an HTML5 drag does not scroll the page on the way.
    await page.setViewportSize({ width: 1400, height: 2800 });
    await page.locator('[data-workload-chip="w-gate-1"]').dragTo(page.locator('.board-node[data-node="dev-11#1"]'));
    await page.setViewportSize({ width: 1400, height: 1000 });
    await expect.poll(() => page.getByTestId('violations').textContent({ timeout: 2000 }).catch(() => '')).toContain('Gate lane 1 vehicles comes from Harbour gate, but Site gateway is at Solar field');
    expect(await page.getByTestId('violations').textContent()).not.toMatch(/e\+\d|dev-\d+#/);
    expect(await page.getByTestId('accept-placement').isDisabled()).toBe(true);
    expect(await page.getByTestId('accept-blocked').textContent()).toMatch(/violation.*before accepting/);
    await screenshot(page, 'placement-02-violations');
    await page.getByTestId('show-aco').click();
    await expect.poll(() => page.getByTestId('accept-placement').isDisabled()).toBe(false);
    await page.getByTestId('accept-placement').click();
    await page.getByTestId('dirty-marker').waitFor();
    expect(await page.getByTestId('map-source').textContent()).toBe('accepted (Improved ACO)');
    expect(await page.getByTestId('accept-placement').isDisabled()).toBe(true);
  });

  it('shows the accepted plan, marked accepted, when the saved project is opened again — and says when the project changed', async () => {
    const file = path.join(app.served.home, 'placed.joule');
    await page.getByRole('button', { name: 'Save As…' }).click();
    await page.getByTestId('file-dialog-name').fill(file);
    await page.getByTestId('file-dialog-confirm').click();
    await expect.poll(() => existsSync(file), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('dirty-marker').waitFor({ state: 'detached' });
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByText('placed.joule').waitFor();
    await page.getByRole('link', { name: 'Placement' }).click();
    await expect.poll(() => page.getByTestId('map-source').textContent(), { timeout: 60_000 }).toBe('accepted (Improved ACO)');
    expect(await page.getByTestId('placement-table').count()).toBe(0);
    expect(await page.locator('[data-workload-chip]').count()).toBe(12);
    expect(await page.getByTestId('violations').count()).toBe(0);
    await screenshot(page, 'placement-04-reopened');
    const limit = page.getByTestId('utilization-limit');
    expect(await limit.inputValue()).toBe('70');
    await limit.fill('60');
    await limit.press('Tab');
    await page.getByTestId('placement-outdated').waitFor();
    expect(await page.getByTestId('map-source').textContent()).toBe('accepted (Improved ACO), out of date');
    await page.getByTestId('undo').click();
    await page.getByTestId('placement-outdated').waitFor({ state: 'detached' });
    expect(await page.getByTestId('map-source').textContent()).toBe('accepted (Improved ACO)');
  });

  it('offers a cloud: the link settings, a per-workload offload switch and the cloud on the map', async () => {
    await page.getByTestId('cloud-enable').check();
    const firstWorkload = page.locator('[data-testid^="offload-"]').first();
    await firstWorkload.waitFor();
    expect(await firstWorkload.isChecked()).toBe(true);
    await firstWorkload.uncheck();
    for (const algo of ['greedy', 'ffd', 'mip']) await page.getByTestId(`algo-${algo}`).uncheck();
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

  it('clears the runs and the map on New', async () => {
    await page.getByRole('button', { name: 'New' }).click();
    await page.getByTestId('confirm-alternate').click();
    await page.getByRole('link', { name: 'Placement' }).click();
    await page.getByTestId('placement-view').waitFor();
    await expect.poll(() => page.getByTestId('placement-table').count()).toBe(0);
    expect(await page.getByTestId('placement-map').count()).toBe(0);
  });

  it('raised no page errors', () => {
    expect(app.errors).toEqual([]);
  });
});
