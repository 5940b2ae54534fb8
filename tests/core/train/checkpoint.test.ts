import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint } from '../../../src-main/core/train/checkpoint';

describe('checkpoints', () => {
  it('round-trip parameters, optimizer buffers, step and meta bit for bit', async () => {
    const params = new Map([
      ['conv.w', { name: 'conv.w', dims: [2, 1, 3, 3], data: Float32Array.from({ length: 18 }, (_, i) => Math.sin(i) * 1e-3) }],
      ['fc.b', { name: 'fc.b', dims: [3], data: Float32Array.of(Number.MIN_VALUE, -0, 1e30) }],
    ]);
    const buffers = new Map([['m.conv.w', Float32Array.from({ length: 18 }, (_, i) => i / 7)]]);
    const checkpoint = { step: 123, params, optimizer: { step: 120, buffers }, meta: { seed: 7, note: 'ünïcode' } };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-ckpt-')), 'a.ckpt');
    await saveCheckpoint(file, checkpoint);
    const back = await loadCheckpoint<typeof checkpoint.meta>(file);
    expect(back.step).toBe(123);
    expect(back.optimizer.step).toBe(120);
    expect(back.meta).toEqual(checkpoint.meta);
    expect([...back.params.keys()]).toEqual(['conv.w', 'fc.b']);
    expect(back.params.get('conv.w')!.dims).toEqual([2, 1, 3, 3]);
    expect(Buffer.from(back.params.get('fc.b')!.data.buffer).equals(Buffer.from(params.get('fc.b')!.data.buffer))).toBe(true);
    expect([...back.optimizer.buffers.get('m.conv.w')!]).toEqual([...buffers.get('m.conv.w')!]);
  });

  it('refuses files that are not checkpoints, or truncated ones', () => {
    expect(() => decodeCheckpoint(new Uint8Array(20), 'x.ckpt')).toThrow('x.ckpt is not a Joule checkpoint.');
    const bytes = encodeCheckpoint({ step: 1, params: new Map([['w', { name: 'w', dims: [4], data: new Float32Array(4) }]]), optimizer: { step: 0, buffers: new Map() }, meta: {} });
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4), 'y.ckpt')).toThrow("y.ckpt is truncated (array 'w').");
  });
});
