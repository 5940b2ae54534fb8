import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, screenshot, serve, watchErrors, type Served } from './harness';

let served: Served;
let browser: Browser;
let page: Page;
let errors: string[];

const row = (id: string) => page.locator(`tr[data-device="${id}"]`);
const cell = (id: string, field: string) => row(id).locator(`[data-field="${field}"] input`);

beforeAll(async () => {
  served = await serve();
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'en-US' });
  errors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('device inventory in the browser host', () => {
  it('refuses requests without the token', async () => {
    const res = await fetch(`http://127.0.0.1:${served.port}/`);
    expect(res.status).toBe(401);
  });

  it('opens the sample project on first start', async () => {
    await page.goto(served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    expect(await page.locator('tr[data-device]').count()).toBe(13);
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Harbour fleet (sample)');
    expect(await page.getByTestId('inventory-summary').textContent()).toBe('13 rows · 44 nodes · 3 sites');
    await page.getByTestId('site-chart').locator('canvas').waitFor();
    await screenshot(page, '01-inventory');
  });

  it('shows a validation message for a bad value and undoes it', async () => {
    const ram = cell('dev-4', 'ramMB');
    await ram.fill('4GB');
    await ram.press('Enter');
    const message = row('dev-4').locator('.field-error');
    await expect.poll(() => message.textContent()).toBe('expected a positive number, got "4GB"');
    expect(await page.getByTestId('problem-summary').textContent()).toContain('1 problem');
    await screenshot(page, '02-validation');
    await page.keyboard.press('Control+z');
    await expect.poll(() => message.count()).toBe(0);
    expect(await ram.inputValue()).toBe('1,024');
  });

  it('edits a device, saves through the window\'s own dialog, reopens and finds the edit', async () => {
    const name = row('dev-1').locator('input[aria-label="Name"]');
    await name.fill('Gate camera north');
    await name.press('Enter');
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('save').click();
    const target = path.join(served.home, 'harbour.joule');
    await page.getByTestId('file-dialog-name').fill(target);
    await page.getByTestId('file-dialog-confirm').click();
    await expect.poll(() => page.getByTestId('dirty-marker').count()).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).devices[0].name).toBe('Gate camera north');

    await page.reload();
    await page.locator('[data-testid="device-table"]').waitFor();
    await expect.poll(() => row('dev-1').locator('input[aria-label="Name"]').inputValue()).toBe('Gate camera north');
    expect(await page.locator('.project-title .file').textContent()).toBe('harbour.joule');
    await screenshot(page, '03-reopened');
  });

  it('imports a CSV and reports the bad rows by line', async () => {
    const csv = path.join(served.home, 'more.csv');
    writeFileSync(csv, 'name,type,site,ramMB\nRoof cam,raspberry-pi-4,Roof,2048\nBroken,raspberry-pi-4,Roof,lots\n');
    await page.getByTestId('csv-input').setInputFiles(csv);
    await page.getByTestId('csv-dialog').waitFor();
    expect(await page.getByTestId('csv-errors').textContent()).toContain('Line 3: ramMB: expected a positive number, got "lots".');
    await screenshot(page, '04-csv-report');
    await page.getByTestId('csv-import').click();
    expect(await page.locator('tr[data-device]').count()).toBe(14);
    expect(await page.locator('tbody[data-site="site-roof"] tr[data-device]').count()).toBe(1);
  });

  it('offers unsaved work back after the window dies without saving', async () => {
    await page.getByTestId('dirty-marker').waitFor();
    // The recovery file is written about a second after the last edit.
    await page.waitForTimeout(1_800);
    await page.close();
    page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'en-US' });
    watchErrors(page, errors);
    await page.goto(served.url);
    await page.getByTestId('recovery-banner').waitFor();
    await screenshot(page, '05-recovery');
    await page.getByTestId('recovery-banner').getByRole('button', { name: 'Restore them' }).click();
    await expect.poll(() => page.locator('tr[data-device]').count()).toBe(14);
    await page.getByTestId('dirty-marker').waitFor();
  });

  it('checks the model files in a worker job', async () => {
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByTestId('check-models').click();
    await expect.poll(() => page.getByTestId('check-summary').textContent(), { timeout: 20_000 }).toMatch(/^All \d+ model files are intact\.$/);
    await screenshot(page, '06-models');
  });

  it('switches the window to Simplified Chinese', async () => {
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.locator('h1').textContent()).toBe('设备清单');
    await screenshot(page, '07-zh-CN');
  });

  it('raised no page errors or CSP violations', () => {
    expect(errors).toEqual([]);
  });
});
