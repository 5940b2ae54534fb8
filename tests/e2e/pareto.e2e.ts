/**
 * The energy-vs-balance sweep in the window: open the sample, draw the front, pick a point
 * (on the chart and in the table), see its placement on the map and carry its weight back into
 * the project.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARETO_GRID } from '../../src-renderer/charts/pareto';
import { type AppSession, screenshot, startAppSession } from './harness';

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startAppSession({ width: 1400, height: 1000 });
  page = app.page;
});

afterAll(() => app?.close());

describe('Pareto sweep', () => {
  it('draws the front of the sample project with at least two points', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Placement' }).click();
    await page.getByTestId('pareto-panel').waitFor();
    await page.getByTestId('pareto-points').fill('5');
    await page.getByTestId('pareto-time').fill('0.5');
    await page.getByTestId('run-pareto').click();
    await page.getByTestId('pareto-chart').locator('canvas').waitFor({ timeout: 90_000 });
    const onFront = Number(await page.getByTestId('pareto-chart').getAttribute('data-points'));
    expect(onFront).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="pareto-table"] tbody tr[data-front="true"]').count()).toBe(onFront);
    await screenshot(page, 'pareto-01-front');
  });

  it('shows a point clicked on the chart on the map', async () => {
    // Where the last front point (the least energy) is drawn: the chart's axes have fixed bounds.
    const figure = page.getByTestId('pareto-chart');
    const [xMin, xMax] = (await figure.getAttribute('data-x'))!.split(' ').map(Number);
    const [yMin, yMax] = (await figure.getAttribute('data-y'))!.split(' ').map(Number);
    const row = page.locator('[data-testid="pareto-table"] tbody tr[data-front="true"]').last();
    const peak = Number(await row.getAttribute('data-peak'));
    const energy = Number(await row.getAttribute('data-energy'));
    const canvas = figure.locator('canvas').first();
    const box = (await canvas.boundingBox())!;
    const grid = PARETO_GRID;
    const x = grid.left + ((peak - xMin) / (xMax - xMin)) * (box.width - grid.left - grid.right);
    const y = grid.top + ((yMax - energy) / (yMax - yMin)) * (box.height - grid.top - grid.bottom);
    await canvas.click({ position: { x, y } });
    await page.getByTestId('pareto-choice').waitFor();
    expect(await row.getAttribute('class')).toContain('selected');
    await page.getByTestId('placement-map').waitFor();
    expect(await page.locator('[data-workload-chip]').count()).toBe(12);
  });

  it('carries the lowest-peak point back into the project as a weight', async () => {
    await page.getByTestId('pareto-show-0').click();
    const use = page.getByTestId('pareto-use-lambda');
    expect(await use.isEnabled()).toBe(true);
    await use.click();
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('pareto-stale').waitFor();
    expect(app.errors).toEqual([]);
    await screenshot(page, 'pareto-02-chosen');
  });
});
