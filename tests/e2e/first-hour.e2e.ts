/**
 * A planner's first hour, on a fresh profile: the welcome panel, a clean sample, Save As of the
 * sample into a folder of its own (the models come along), the project reopened from there with
 * its models present, Save / Don't Save / Cancel before unsaved work is dropped, and a screen
 * whose code cannot be loaded saying so.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, screenshot, startAppSession } from './harness';

let app: AppSession;
let page: Page;
let folder: string;

beforeAll(async () => {
  app = await startAppSession({ width: 1400, height: 1000 });
  page = app.page;
  folder = path.join(app.served.home, 'harbour');
  mkdirSync(folder, { recursive: true });
});

afterAll(() => app?.close());

describe('first hour', () => {
  it('welcomes a new planner with a path through each question, on a sample that is not marked unsaved', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('dirty-marker').count()).toBe(0);
    await screenshot(page, 'first-01-welcome');
    // The sample's 2 GB Raspberry Pi row explains itself: a note, and its RAM cell names the library's figure.
    const note = page.locator('[data-testid="row-note"][title*="2 GB variant"]');
    expect(await note.count()).toBe(1);
    const aisle = note.locator('xpath=ancestor::tr[1]');
    expect(await aisle.locator('td.differs-from-type').first().getAttribute('title')).toBe('Raspberry Pi 4 Model B (4 GB) has 4,096 MB in the library; this row has 2,048 MB.');
    // Device-type pickers name the whole type on hover, and the row actions stay inside the window.
    const firstRow = page.getByTestId('device-table').locator('tr', { has: page.locator('.type-cell') }).first();
    expect(await firstRow.locator('.type-cell select').getAttribute('title')).toBe('NVIDIA Jetson Nano 4 GB (10 W / MAXN mode)');
    expect(await firstRow.locator('.type-cell select').evaluate((el: HTMLSelectElement) => el.selectedOptions[0].text)).toBe('Jetson Nano 4 GB (10 W / MAXN)');
    const box = await firstRow.locator('button.danger').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1400);
    await page.getByTestId('welcome-energy').click();
    await page.getByTestId('energy-view').waitFor();
  });

  it('saves the sample into a folder of its own, copying its models there', async () => {
    await page.getByRole('button', { name: 'Save As…' }).click();
    await page.getByTestId('file-dialog-name').fill(path.join(folder, 'harbour.joule'));
    await page.getByTestId('file-dialog-confirm').click();
    await expect.poll(() => existsSync(path.join(folder, 'harbour.joule')), { timeout: 30_000 }).toBe(true);
    await page.getByText('Copied 3 model files into the project’s models folder.').waitFor();
    const saved = JSON.parse(readFileSync(path.join(folder, 'harbour.joule'), 'utf8'));
    for (const m of saved.models) {
      expect(m.path).toMatch(/^models\//);
      expect(existsSync(path.join(folder, m.path))).toBe(true);
    }
    expect(existsSync(path.join(folder, 'models', 'lenet5.json'))).toBe(true);
  });

  it('reopens the project from its folder with every model present', async () => {
    await page.goto(app.served.url);
    await page.locator('[data-testid="device-table"]').waitFor();
    await page.getByText('harbour.joule').waitFor();
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByTestId('check-models').click();
    await expect.poll(() => page.getByTestId('check-summary').textContent(), { timeout: 30_000 }).toMatch(/All 3 model files/);
  });

  it('offers to locate a model file that moved, and takes it when it is the same file', async () => {
    const saved = JSON.parse(readFileSync(path.join(folder, 'harbour.joule'), 'utf8'));
    const lenet = saved.models.find((m: { path: string }) => m.path.endsWith('lenet5.onnx'));
    const moved = path.join(app.served.home, 'elsewhere', 'lenet5.onnx');
    mkdirSync(path.dirname(moved), { recursive: true });
    renameSync(path.join(folder, lenet.path), moved);
    await page.getByTestId('check-models').click();
    await page.getByTestId(`locate-${lenet.id}`).waitFor({ timeout: 30_000 });
    await page.getByTestId(`locate-${lenet.id}`).click();
    await page.getByTestId('file-dialog-name').fill(moved);
    await page.getByTestId('file-dialog-confirm').click();
    await expect.poll(() => page.getByTestId('check-summary').textContent(), { timeout: 30_000 }).toMatch(/All 3 model files/);
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('save').click();
    await expect.poll(() => JSON.parse(readFileSync(path.join(folder, 'harbour.joule'), 'utf8')).models.find((m: { id: string }) => m.id === lenet.id).path).toBe(moved);
  });

  it('asks Save, Don’t Save or Cancel before dropping unsaved work', async () => {
    await page.getByRole('link', { name: 'Devices' }).click();
    const name = page.locator('tr[data-device="dev-1"] input[aria-label="Name"]');
    await name.fill('Gate camera west');
    await name.press('Enter');
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByRole('button', { name: 'New' }).click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-alternate').textContent()).toBe('Don’t Save');
    await page.getByTestId('confirm-cancel').click();
    expect(await name.inputValue()).toBe('Gate camera west');
    await page.getByRole('button', { name: 'New' }).click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => page.getByTestId('dirty-marker').count()).toBe(0);
    expect(JSON.parse(readFileSync(path.join(folder, 'harbour.joule'), 'utf8')).devices[0].name).toBe('Gate camera west');
  });

  it('closes the Recent menu on a click elsewhere', async () => {
    await page.getByTestId('recent').click();
    await page.locator('.project-bar .menu').waitFor();
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => page.locator('.project-bar .menu').count()).toBe(0);
  });

  it('says so when a screen’s code cannot be loaded, and offers a reload', async () => {
    await page.route(/TrainingView.*\.js/, (route) => route.abort());
    await page.getByRole('link', { name: 'Training' }).click();
    await page.getByTestId('screen-failed').waitFor();
    await page.unroute(/TrainingView.*\.js/);
    app.errors.length = 0;
  });
});
