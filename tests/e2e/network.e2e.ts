import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startAppSession, type AppSession } from './harness';

let app: AppSession;
const page = () => app.page;
const lan = (site: string, field: string) => page().locator(`tr[data-lan="${site}"] [data-field="${field}"] input`);
const link = (id: string) => page().locator(`tbody[data-link="${id}"]`);
const row = (id: string) => page().locator(`tr[data-device="${id}"]`);
const drawer = (id: string) => page().locator(`[data-details="${id}"]`);

async function type(input: ReturnType<typeof lan>, text: string): Promise<void> {
  await input.fill(text);
  await input.press('Enter');
}

beforeAll(async () => {
  app = await startAppSession();
});

afterAll(async () => {
  await app?.close();
});

describe('sites, links and power states on the Devices screen', () => {
  it('shows the sample\'s LANs and links', async () => {
    await page().goto(app.served.url);
    await page().getByTestId('network-panel').waitFor();
    expect(await lan('site-solar-field', 'mbps').inputValue()).toBe('100');
    expect(await page().locator('tbody[data-link]').count()).toBe(2);
    expect(await row('dev-6').getByTestId('power-toggle').textContent()).toContain('On Dock gateway');
  });

  it('edits a LAN, names a missing field, and undoes', async () => {
    await type(lan('site-solar-field', 'mbps'), '80');
    await type(lan('site-harbour', 'rttMs'), '');
    const error = page().locator('tr[data-lan="site-harbour"] .field-error');
    await expect.poll(() => error.textContent()).toBe('is missing (expected a number of milliseconds of at least 0)');
    await page().keyboard.press('Control+z');
    await expect.poll(() => error.count()).toBe(0);
    expect(await lan('site-harbour', 'rttMs').inputValue()).toBe('1');
    expect(await lan('site-solar-field', 'mbps').inputValue()).toBe('80');
  });

  it('adds a link, with the rules\' messages for the same site and a duplicate pair', async () => {
    await page().getByTestId('add-link').click();
    const added = link('link-1');
    await expect.poll(() => added.locator('.field-error').count()).toBe(2);
    await type(added.locator('[data-field="rttMs"] input'), '40');
    await type(added.locator('[data-field="jPerMB"] input'), '1.5');
    await type(added.locator('[data-field="mbps"] input'), '20');
    await expect.poll(() => added.locator('.field-error').count()).toBe(0);
    expect(await added.locator('[data-field="siteA"] select').inputValue()).toBe('site-harbour');
    expect(await added.locator('[data-field="siteB"] select').inputValue()).toBe('site-solar-field');

    await added.locator('[data-field="siteB"] select').selectOption('site-harbour');
    await expect.poll(() => added.locator('[data-field="siteB"] .field-error').textContent()).toBe('is the same site as siteA; a site\'s own network is its "lan"');
    await added.locator('[data-field="siteB"] select').selectOption('site-warehouse');
    await expect.poll(() => added.getByTestId('link-problem').textContent()).toBe(
      'The link Harbour gate – Warehouse 3 joins the same two sites as “Harbour gate – Warehouse 3”; give one link per pair of sites.',
    );
    await screenshot(page(), 'network-01-duplicate-link');
    await added.locator('[data-field="siteB"] select').selectOption('site-solar-field');
    await expect.poll(() => page().getByTestId('problem-summary').count()).toBe(0);
  });

  it('lets a mains row sleep with a wake-up energy', async () => {
    const toggle = row('dev-1').getByTestId('power-toggle');
    expect(await toggle.textContent()).toContain('Always on');
    expect(await toggle.getAttribute('title')).toBe('Always on: the default for Mains. Click for the power state, wake-up energy and host.');
    await toggle.click();
    const wake = drawer('dev-1').locator('[data-field="wakeUpJ"] input');
    expect(await wake.isDisabled()).toBe(true);
    await drawer('dev-1').locator('[data-field="powerState"] select').selectOption('may-sleep');
    await type(wake, '40');
    await expect.poll(() => toggle.textContent()).toContain('May sleep · 40 J');
    await row('dev-6').getByTestId('power-toggle').click();
    expect(await drawer('dev-6').getByTestId('follows-host').textContent()).toContain('Plugged into Dock gateway');
    expect(await drawer('dev-6').locator('[data-field="hostCpuMs"] input').inputValue()).toBe('2');
    await screenshot(page(), 'network-02-drawers');
  });

  it('sets the power state of selected rows at once, and undoes it', async () => {
    for (const id of ['dev-2', 'dev-3']) await row(id).locator('.select-col input').check();
    await page().getByTestId('bulk-field').selectOption('powerState');
    await page().getByTestId('bulk-value').selectOption('may-sleep');
    await page().getByTestId('bulk-apply').click();
    await expect.poll(() => row('dev-2').getByTestId('power-toggle').textContent()).toContain('May sleep');
    expect(await row('dev-2').getByTestId('power-toggle').getAttribute('title')).toContain('May sleep: chosen for this row.');
    await page().getByTestId('bulk-bar').getByRole('button', { name: 'Clear selection' }).click();
    await page().locator('h1').click();
    await page().keyboard.press('Control+z');
    await expect.poll(() => row('dev-2').getByTestId('power-toggle').textContent()).toContain('Always on');
  });

  it('saves, reopens and finds the LAN, the link and the power state', async () => {
    await page().getByTestId('save').click();
    const target = path.join(app.served.home, 'network.joule');
    await page().getByTestId('file-dialog-name').fill(target);
    await page().getByTestId('file-dialog-confirm').click();
    await expect.poll(() => page().getByTestId('dirty-marker').count()).toBe(0);
    const saved = JSON.parse(readFileSync(target, 'utf8'));
    expect(saved.sites[2].lan).toEqual({ mbps: 80, rttMs: 4, jPerMB: 0.5 });
    expect(saved.links[2]).toEqual({ id: 'link-1', siteA: 'site-harbour', siteB: 'site-solar-field', rttMs: 40, jPerMB: 1.5, mbps: 20 });
    expect(saved.devices[0]).toMatchObject({ id: 'dev-1', powerState: 'may-sleep', wakeUpJ: 40 });

    await page().reload();
    await page().getByTestId('network-panel').waitFor();
    expect(await page().locator('.project-title .file').textContent()).toBe('network.joule');
    expect(await lan('site-solar-field', 'mbps').inputValue()).toBe('80');
    expect(await link('link-1').locator('[data-field="rttMs"] input').inputValue()).toBe('40');
    expect(await row('dev-1').getByTestId('power-toggle').textContent()).toContain('May sleep · 40 J');
  });

  it('exports the devices to CSV and imports them back with power states and hosts', async () => {
    const [download] = await Promise.all([page().waitForEvent('download'), page().getByRole('button', { name: 'Export CSV' }).click()]);
    const file = path.join(app.served.home, 'devices.csv');
    await download.saveAs(file);
    const header = readFileSync(file, 'utf8').split(/\r?\n/)[0];
    expect(header).toBe('name,type,site,count,ramMB,storageGB,power,energyWh,uplinkMbps,radio,powerState,wakeUpJ,host,hostCpuMs,notes');
    await page().getByTestId('csv-input').setInputFiles(file);
    await page().getByTestId('csv-dialog').waitFor();
    expect(await page().getByTestId('csv-errors').count()).toBe(0);
    await page().getByTestId('csv-dialog').getByRole('checkbox').check();
    await page().getByTestId('csv-import').click();
    await expect.poll(() => page().locator('tr[data-device]').count()).toBe(13);
    const gate = page().locator('tr[data-device]').first();
    expect(await gate.getByTestId('power-toggle').textContent()).toContain('May sleep · 40 J');
    // The stick found its host row by name in the file (the imported rows have fresh ids).
    expect(await page().getByTestId('power-toggle').filter({ hasText: 'On Dock gateway' }).count()).toBe(1);
    await expect.poll(() => page().getByTestId('problem-summary').count()).toBe(0);
  });

  it('speaks Simplified Chinese', async () => {
    await page().getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page().locator('.network-panel h2').textContent()).toBe('站点与链路');
    await screenshot(page(), 'network-03-zh-CN');
    await page().getByTestId('language').selectOption('en');
  });

  it('raised no page errors or CSP violations', () => {
    expect(app.errors).toEqual([]);
  });
});
