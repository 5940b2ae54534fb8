import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProject } from '../../../src-main/common/project/schema';
import { gatherModels } from '../../../src-main/core/project/self-contained';

const sha = '0'.repeat(64);

describe('saving a project into another folder', () => {
  it('copies the model files it lacks, numbering a name taken by other bytes, and keeps what it already holds', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'joule-gather-'));
    const from = path.join(root, 'old');
    const to = path.join(root, 'new');
    for (const dir of [path.join(from, 'a'), path.join(from, 'b'), path.join(to, 'models')]) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(from, 'a', 'net.onnx'), 'first');
    writeFileSync(path.join(from, 'a', 'net.json'), '{"card":1}');
    writeFileSync(path.join(from, 'b', 'net.onnx'), 'second');
    writeFileSync(path.join(to, 'models', 'kept.onnx'), 'kept');
    const ref = (id: string, p: string) => ({ id, label: id, path: p, sha256: sha, sizeBytes: 1 });
    const document = {
      ...emptyProject('p'),
      models: [ref('model-1', 'a/net.onnx'), ref('model-2', 'b/net.onnx'), ref('model-3', '../new/models/kept.onnx'), ref('model-4', 'missing.onnx')],
    };
    const { document: saved, copied } = await gatherModels(document, from, to);
    expect(saved.models.map((m) => m.path)).toEqual(['models/net.onnx', 'models/net-2.onnx', 'models/kept.onnx', '../old/missing.onnx']);
    expect(copied).toEqual(['models/net.onnx', 'models/net-2.onnx']);
    expect(readFileSync(path.join(to, 'models', 'net-2.onnx'), 'utf8')).toBe('second');
    expect(existsSync(path.join(to, 'models', 'net.json'))).toBe(true);
    // Saving the same document again finds its files and copies nothing.
    expect((await gatherModels(document, from, to)).copied).toEqual([]);
  });

  it('reports the copy of a large model as it advances, ending at every byte, and leaves no temp file', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'joule-gather-'));
    const from = path.join(root, 'old');
    const to = path.join(root, 'new');
    mkdirSync(from, { recursive: true });
    const big = Buffer.alloc(20 * 1024 * 1024, 3);
    writeFileSync(path.join(from, 'big.onnx'), big);
    const document = { ...emptyProject('p'), models: [{ id: 'model-1', label: 'big', path: 'big.onnx', sha256: sha, sizeBytes: big.length }] };
    const reports: { file: string; copiedBytes: number; totalBytes: number }[] = [];
    await gatherModels(document, from, to, (p) => reports.push(p));
    expect(reports.length).toBeGreaterThanOrEqual(3); // 8 MB chunks
    expect(reports.every((r) => r.file === 'big.onnx' && r.totalBytes === big.length)).toBe(true);
    expect(reports.map((r) => r.copiedBytes)).toEqual([...reports.map((r) => r.copiedBytes)].sort((a, b) => a - b));
    expect(reports.at(-1)!.copiedBytes).toBe(big.length);
    expect(readFileSync(path.join(to, 'models', 'big.onnx')).equals(big)).toBe(true);
    expect(readdirSync(path.join(to, 'models'))).toEqual(['big.onnx']);
  });
});
