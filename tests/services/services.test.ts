import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMethods, type JouleEvent, type JouleServices } from '../../src-main/common/api';
import { CURRENT_SCHEMA_VERSION } from '../../src-main/common/project/schema';
import type { ProjectCheckReport } from '../../src-main/common/api/project';
import { createRuntime, type Runtime } from '../../src-main/services';
import { dispatch } from '../../src-main/services/dispatch';
import { browserHostApi } from '../../src-main/host/browser/host-api';
import { fullAccess } from '../../src-main/services/file-access';

const resourcesDir = path.resolve(import.meta.dirname, '../../resources');
let runtime: Runtime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'joule-data-'));
  runtime = await createRuntime({ resourcesDir, dataDir, documentsDir: os.tmpdir(), poolSize: 1 });
});
afterAll(() => runtime.close());

describe('services', () => {
  it('implement every method the contract lists', () => {
    const services: JouleServices = { ...runtime.services, host: browserHostApi(fullAccess) };
    for (const [service, methods] of Object.entries(apiMethods)) {
      for (const method of methods) {
        expect(typeof (services as unknown as Record<string, Record<string, unknown>>)[service][method], `${service}.${method}`).toBe('function');
      }
    }
  });

  it('open the sample as an unsaved copy and save it elsewhere, the models copied into its folder', async () => {
    const sample = await runtime.services.project.openSample();
    expect(sample.path).toBeNull();
    expect(sample.document.devices.length).toBeGreaterThanOrEqual(10);
    const target = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-save-')), 'fleet');
    const progress: JouleEvent[] = [];
    const stop = runtime.events.subscribe((event) => event.type === 'project.saveProgress' && progress.push(event));
    const saved = await runtime.services.project.save({ path: target, baseDir: sample.baseDir, document: sample.document });
    stop();
    expect(saved.path).toBe(`${target}.joule`);
    // The window sees the copy advance and end at every byte.
    const last = progress.at(-1);
    expect(last).toMatchObject({ type: 'project.saveProgress', path: `${target}.joule` });
    if (last?.type === 'project.saveProgress') expect(last.copiedBytes).toBe(last.totalBytes);
    expect(saved.copied).toHaveLength(sample.document.models.length);
    for (const model of saved.document.models) {
      expect(model.path).toMatch(/^models\//);
      const original = path.resolve(sample.baseDir, sample.document.models.find((m) => m.id === model.id)!.path);
      expect(readFileSync(path.resolve(saved.baseDir, model.path)).equals(readFileSync(original))).toBe(true);
    }
    // Saving into the same folder again copies nothing more.
    const again = await runtime.services.project.save({ path: saved.path!, baseDir: saved.baseDir, document: saved.document });
    expect(again.copied).toBeUndefined();
    const reopened = await runtime.services.project.open(saved.path!);
    expect(reopened.document).toEqual(saved.document);
    expect(JSON.parse(readFileSync(saved.path!, 'utf8')).schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    const recent = await runtime.services.project.recent();
    expect(recent[0]).toMatchObject({ path: saved.path, name: sample.document.name, exists: true });
  });

  it('report a save as done when the project was written, even if the recent list cannot be', async () => {
    const brokenData = mkdtempSync(path.join(os.tmpdir(), 'joule-data-'));
    mkdirSync(path.join(brokenData, 'recent.json')); // a folder where the list's file should go
    const broken = await createRuntime({ resourcesDir, dataDir: brokenData, documentsDir: os.tmpdir(), poolSize: 1 });
    try {
      const sample = await broken.services.project.openSample();
      const target = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-save-')), 'fleet.joule');
      const saved = await broken.services.project.save({ path: target, baseDir: sample.baseDir, document: sample.document });
      expect(saved.path).toBe(target);
      expect((await broken.services.project.open(target)).document.name).toBe(sample.document.name);
    } finally {
      await broken.close();
    }
  });

  it('keep, return and clear the recovery snapshot', async () => {
    const { document, baseDir } = await runtime.services.project.openSample();
    await runtime.services.project.writeRecovery({ path: null, baseDir, document: { ...document, name: 'Edited' }, savedAt: 0 });
    const snapshot = await runtime.services.project.readRecovery();
    expect(snapshot?.document.name).toBe('Edited');
    expect(snapshot!.savedAt).toBeGreaterThan(0);
    await runtime.services.project.clearRecovery();
    expect(await runtime.services.project.readRecovery()).toBeNull();
  });

  it('check the sample project model files in a worker job', async () => {
    const { document, baseDir } = await runtime.services.project.openSample();
    const jobId = await runtime.services.project.startCheck({ document, baseDir });
    const report = (await runtime.services.jobs.result(jobId)) as ProjectCheckReport;
    expect(document.models.length).toBeGreaterThanOrEqual(2);
    expect(report.files).toHaveLength(document.models.length);
    expect(report.ok).toBe(true);
    const [job] = await runtime.services.jobs.list();
    expect(job).toMatchObject({ id: jobId, kind: 'project.check', state: 'succeeded' });
  });

  it('answer through dispatch with typed error envelopes', async () => {
    const services: JouleServices = { ...runtime.services, host: browserHostApi(fullAccess) };
    expect(await dispatch(services, 'project', 'deleteEverything', [])).toEqual({
      ok: false,
      error: { name: 'InvalidRequestError', message: '"project.deleteEverything" is not a Joule API method.' },
    });
    expect(await dispatch(services, 'project', 'open', [42])).toEqual({
      ok: false,
      error: { name: 'InvalidRequestError', message: 'path: expected a non-empty text, got 42.' },
    });
    const missing = await dispatch(services, 'devices', 'get', ['jetson-tx2']);
    expect(missing).toMatchObject({ ok: false, error: { name: 'NotFoundError' } });
    expect(await dispatch(services, 'devices', 'get', ['raspberry-pi-4'])).toMatchObject({ ok: true, value: { id: 'raspberry-pi-4' } });
  });
});
