/**
 * The energy-budget wizard end to end in the browser host: a saved copy of the sample, LeNet-5
 * pruned for the Raspberry Pi 4 at 70% of its energy with a short fine-tune (energy-aware and the
 * uniform baseline), an option accepted into the project, then found in the model library, in the
 * options chart and among the placement screen's choices.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, screenshot, startAppSession } from './harness';

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startAppSession({ width: 1440, height: 1100 });
  page = app.page;
});

afterAll(() => app?.close());

describe('energy-budget wizard', () => {
  it('asks to save first, then compresses LeNet-5 for the Raspberry Pi 4 and compares the options', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByRole('link', { name: 'Compression' }).click();
    await page.getByTestId('budget-table').waitFor();
    expect(await page.locator('tr[data-budget]').count()).toBe(2);

    // 1: the model (the sample's trained LeNet-5 is the default)
    expect(await page.getByTestId('wizard-model').locator('option:checked').textContent()).toContain('LeNet-5');
    await page.getByTestId('wizard-next').click();
    // 2: budgets: only the Raspberry Pi 4, at 70% of the original energy
    await page.getByTestId('wizard-step-targets').waitFor();
    for (const box of await page.locator('[data-testid^="target-"]').all()) await box.uncheck();
    await page.getByTestId('target-raspberry-pi-4').check();
    await page.getByTestId('mode-raspberry-pi-4').selectOption('percent');
    await page.getByTestId('values-raspberry-pi-4').fill('70');
    await expect.poll(() => page.locator('tr[data-target="raspberry-pi-4"] td').last().textContent()).toMatch(/mJ \(70 %\)/);
    await page.getByTestId('wizard-next').click();
    // 3: Fashion-MNIST, a short fine-tune
    await page.getByTestId('wizard-step-data').waitFor();
    await page.getByTestId('wizard-samples').fill('1500');
    await page.getByTestId('wizard-next').click();
    // 4: energy-aware Taylor plus the uniform L1 baseline; the project must be saved first
    await page.getByTestId('wizard-step-criterion').waitFor();
    await expect.poll(() => page.getByTestId('wizard-estimate').textContent()).toMatch(/2 options · about \d+ min/);
    expect(await page.getByTestId('wizard-run').isDisabled()).toBe(true);
    await page.getByTestId('wizard-save-first').getByRole('button').click();
    const target = path.join(app.served.home, 'harbour.joule');
    await page.getByTestId('file-dialog-name').fill(target);
    await page.getByTestId('file-dialog-confirm').click();
    await expect.poll(() => existsSync(target)).toBe(true);
    await screenshot(page, 'compression-01-setup');
    await page.getByTestId('wizard-run').click();

    // 5: the run, with live progress
    await page.getByTestId('wizard-step-run').waitFor();
    await page.getByTestId('wizard-live-chart').locator('canvas').waitFor({ timeout: 60_000 });
    await screenshot(page, 'compression-02-running');
    // 6: the options
    await page.getByTestId('wizard-step-results').waitFor({ timeout: 240_000 });
    const rows = page.locator('[data-device="raspberry-pi-4"] tr[data-option]');
    expect(await rows.count()).toBe(2);
    expect(await rows.locator('td:first-child').allTextContents()).toEqual(['energy-taylor', 'uniform-l1']);
    await page.getByTestId('pareto-chart').locator('canvas').waitFor();
    await rows.first().getByRole('button', { name: 'energy-taylor' }).click();
    await page.getByTestId('layer-energy-chart').locator('canvas').waitFor({ timeout: 30_000 });
    await rows.first().getByTestId('accept-option').click();
    await expect.poll(() => rows.first().locator('[data-accepted]').count()).toBe(1);
    await screenshot(page, 'compression-03-options');
  }, 300_000);

  it('finds the accepted variant in the project, on disk and among the placement choices', async () => {
    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('dirty-marker').count()).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(app.served.home, 'harbour.joule'), 'utf8'));
    const variant = saved.models.find((m: { parentId?: string }) => m.parentId === 'model-lenet5');
    expect(variant.path).toMatch(/^models\/variants\/.*raspberry-pi-4-70pct-energy-taylor\.onnx$/);
    expect(existsSync(path.join(app.served.home, variant.path))).toBe(true);
    expect(saved.compression.runs).toHaveLength(1);
    expect(saved.compression.runs[0].options[0].acceptedAs).toBe(variant.id);

    await page.getByRole('link', { name: 'Models' }).click();
    await expect.poll(() => page.getByText(variant.label).count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Placement' }).click();
    const lenetWorkload = saved.workloads.find((w: { modelId: string }) => w.modelId === 'model-lenet5');
    await expect.poll(() => page.getByTestId(`variants-${lenetWorkload.id}`).textContent()).toContain(variant.label);
    await screenshot(page, 'compression-04-placement-choices');
    expect(app.errors).toEqual([]);
  });
});
