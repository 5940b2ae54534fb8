import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src-main/core/onnx/builder';
import { writeOnnxFile } from '../../src-main/core/onnx/write';
import { type AppSession, repoRoot, screenshot, startAppSession } from './harness';

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startAppSession({ width: 1440, height: 1000 });
  page = app.page;
});

afterAll(() => app?.close());

describe('model library and energy view', () => {
  it('imports an ONNX model through the window, opens its energy view and sees the charts', async () => {
    const file = path.join(app.served.home, 'mobilenet_v2.onnx');
    execFileSync(process.execPath, ['--import', 'tsx', 'src-main/host/cli/joule.ts', 'zoo', 'export', 'mobilenet_v2', file], { cwd: repoRoot });
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByTestId('import-model').click();
    await page.getByTestId('file-dialog-name').fill(file);
    await page.getByTestId('file-dialog-confirm').click();
    const row = page.locator('tr[data-model="model-1"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('td').first().textContent()).toBe('mobilenet_v2');
    await screenshot(page, 'energy-01-models');

    await page.getByTestId('analyze-model-1').click();
    await page.getByTestId('energy-totals').waitFor({ timeout: 30_000 });
    await page.getByTestId('layer-chart').locator('canvas').waitFor();
    await page.getByTestId('compare-chart').locator('canvas').waitFor();
    expect(await page.getByTestId('memory-fit').textContent()).toContain('Fits in');
    const layerRows = await page.getByTestId('layer-table').locator('tbody tr').count();
    expect(layerRows).toBeGreaterThan(30);
    await screenshot(page, 'energy-02-view');
  });

  it('finds the best edge-cloud cut and draws the partition chart', async () => {
    await page.getByTestId('run-partition').click();
    await expect.poll(() => page.getByTestId('partition-best').textContent(), { timeout: 30_000 }).toMatch(/^Best cut: (after \S+|run every layer on the device|send the input to the cloud): /);
    await screenshot(page, 'energy-03-partition');
  });

  it('keeps the chosen model, device, results and partition when the planner leaves the screen and comes back', async () => {
    expect(await page.getByTestId('compare-table').locator('tbody tr').count()).toBeGreaterThan(1);
    const device = await page.getByTestId('energy-device').inputValue();
    const energyText = await page.getByTestId('energy-totals').textContent();
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Energy', exact: true }).click();
    await page.getByTestId('energy-totals').waitFor();
    expect(await page.getByTestId('energy-device').inputValue()).toBe(device);
    expect(await page.getByTestId('energy-totals').textContent()).toBe(energyText);
    expect(await page.getByTestId('partition-best').count()).toBe(1);
    expect(await page.getByTestId('energy-progress').count()).toBe(0);
  });

  it('asks for the sizes of a model’s dynamic inputs on import, stores them with the model and analyses it', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['batch', 3, 'height', 'width']);
    b.output(b.op('Relu', [b.op('Conv', [x, b.weight('w', [16, 3, 3, 3])], { pads: [1, 1, 1, 1], strides: [2, 2] })]));
    const file = path.join(app.served.home, 'dynamic.onnx');
    writeOnnxFile(file, b.model);
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByTestId('import-model').click();
    await page.getByTestId('file-dialog-name').fill(file);
    await page.getByTestId('file-dialog-confirm').click();
    const form = page.getByTestId('input-shapes-form');
    await form.waitFor({ timeout: 30_000 });
    const field = form.locator('input[data-input="x"]');
    expect(await field.inputValue()).toBe('1x3x224x224');
    await field.fill('1x4x96x128');
    expect(await page.getByTestId('input-shapes-submit').isDisabled()).toBe(true);
    await field.fill('1x3x96x128');
    await page.getByTestId('input-shapes-submit').click();
    const row = page.locator('tr[data-model="model-2"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('shapes-model-2').locator('code').textContent()).toBe('x=1x3x96x128');
    await page.getByTestId('analyze-model-2').click();
    await expect.poll(() => page.getByTestId('energy-totals').textContent(), { timeout: 30_000 }).toMatch(/mJ/);
  });

  it('raised no page errors', () => {
    expect(app.errors).toEqual([]);
  });
});
