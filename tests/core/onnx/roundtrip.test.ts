import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { float16Bits } from '../../../src-main/core/onnx/dtype';
import type { Model } from '../../../src-main/core/onnx/ir';
import { modelProto } from '../../../src-main/core/onnx/proto';
import { decodeOnnx, readOnnxFile } from '../../../src-main/core/onnx/read';
import { inferShapes } from '../../../src-main/core/onnx/shapes';
import { encodeOnnx, writeOnnxFile } from '../../../src-main/core/onnx/write';
import { float, GraphBuilder, feedsFor, runModel, runOrt } from './build';

const dir = mkdtempSync(join(tmpdir(), 'joule-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The output of `smallCnn`. */
const Y = 'leakyrelu7_0';
const ramp = (n: number, scale = 0.01) => Float32Array.from({ length: n }, (_, i) => Math.sin(i) * scale);

/** Conv -> BN -> Relu -> MaxPool -> Reshape (Constant target) -> Gemm -> LeakyRelu, with weights. */
function smallCnn(withData = true): Model {
  const b = new GraphBuilder(13);
  const d = <T>(v: T) => (withData ? v : null);
  const x = b.input('x', ['N', 3, 8, 8]);
  const conv = b.op('Conv', [x, b.weight('w', [4, 3, 3, 3], d(ramp(108, 0.2))), b.weight('b', [4], d(ramp(4)))], {
    pads: [1, 1, 1, 1],
  });
  const bn = b.op('BatchNormalization', [
    conv,
    b.weight('g', [4], d(Float32Array.of(1, 0.5, 2, 1))),
    b.weight('beta', [4], d(ramp(4))),
    b.weight('mean', [4], d(ramp(4))),
    b.weight('var', [4], d(Float32Array.of(1, 2, 0.5, 1))),
  ], { epsilon: float(1e-5) });
  const pool = b.op('MaxPool', [b.op('Relu', [bn])], { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'NOTSET' });
  const target = b.op('Constant', [], {
    value: { kind: 'tensor', value: { name: '', dtype: 'int64', dims: [2], data: BigInt64Array.of(0n, -1n) } },
  });
  const flat = b.op('Reshape', [pool, target]);
  const fc = b.op('Gemm', [flat, b.weight('fc', [5, 64], d(ramp(320, 0.1)))], { transB: 1, alpha: float(0.5) });
  const y = b.op('LeakyRelu', [fc], { alpha: float(0.1) });
  b.model.graph.outputs.push({ name: y, dtype: 'float32', shape: ['N', 5] });
  b.model.graph.valueInfo.set(conv, { name: conv, dtype: 'float32', shape: ['N', 4, 8, 8] });
  b.model.metadata = { author: 'joule', purpose: 'test' };
  b.model.producerVersion = '0.1';
  return b.model;
}

describe('round trip', () => {
  it('decode(encode(model)) equals the model', () => {
    const m = smallCnn();
    expect(decodeOnnx(encodeOnnx(m))).toEqual(m);
  });

  it('keeps every attribute kind', () => {
    const b = new GraphBuilder(13);
    b.model.opsetImports.push({ domain: 'com.example', version: 1 });
    const x = b.input('x', [1, '', 'seq']);
    b.node('Custom', [x, ''], {
      f: float(0.1),
      i: -7,
      big: 2 ** 40,
      s: 'héllo',
      fs: [0.25, 1.5],
      is: [1, -2, 3],
      ss: ['a', 'b'],
      t: { kind: 'tensor', value: { name: 't', dtype: 'float64', dims: [2], data: Float64Array.of(Math.PI, -1) } },
    }, ['y', '']);
    b.model.graph.nodes[0].domain = 'com.example';
    b.output('y');
    const m = b.model;
    expect(decodeOnnx(encodeOnnx(m))).toEqual(m);
  });

  it('gives identical onnxruntime outputs and bytes after decode -> encode', async () => {
    const m = smallCnn();
    const bytes = encodeOnnx(m);
    const again = encodeOnnx(decodeOnnx(bytes));
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const before = await runModel(m, 2);
    const after = await runOrt(again, feedsFor(m, 2));
    expect(after.get(Y)!.dims).toEqual([2, 5]);
    expect(Array.from(after.get(Y)!.data)).toEqual(Array.from(before.get(Y)!.data));
  });

  it('writes and reads big tensors as external data', async () => {
    const m = smallCnn();
    const path = join(dir, 'ext.onnx');
    writeOnnxFile(path, m, { externalDataThresholdBytes: 256 });
    expect(existsSync(`${path}.data`)).toBe(true);
    // w (432 B) and fc (1280 B) go out, page-aligned; the small ones stay inline.
    expect(statSync(`${path}.data`).size).toBe(4096 + 1280);
    expect(statSync(path).size).toBeLessThan(encodeOnnx(m).length - 1500);
    const back = readOnnxFile(path);
    expect(back).toEqual(m);
    const inline = await runModel(m);
    const fromFile = await runOrt(path, feedsFor(m));
    expect(Array.from(fromFile.get(Y)!.data)).toEqual(Array.from(inline.get(Y)!.data));
  });

  it('fills shape-only weights deterministically with runnable values', async () => {
    const m = smallCnn(false);
    const bytes = encodeOnnx(m);
    expect(Buffer.from(encodeOnnx(smallCnn(false))).equals(Buffer.from(bytes))).toBe(true);
    const filled = decodeOnnx(bytes);
    expect(filled.graph.initializers.get('var')!.data).toEqual(Float32Array.of(1, 1, 1, 1));
    expect(filled.graph.initializers.get('b')!.data).toEqual(new Float32Array(4));
    const w = filled.graph.initializers.get('w')!.data as Float32Array;
    const bound = Math.sqrt(6 / 27);
    expect(w.every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(new Set(w).size).toBeGreaterThan(100);
    const out = await runOrt(bytes, feedsFor(m));
    const y = Array.from(out.get(Y)!.data as Float32Array);
    expect(y.every(Number.isFinite)).toBe(true);
    expect(y.some((v) => v !== 0)).toBe(true);
  });

  it("reads shapes only with weights: 'skip' and still infers shapes", () => {
    const path = join(dir, 'skip.onnx');
    writeOnnxFile(path, smallCnn());
    const m = readOnnxFile(path, { weights: 'skip' });
    expect(m.graph.initializers.get('w')!.data).toBeNull();
    expect(m.graph.initializers.get('w')!.dims).toEqual([4, 3, 3, 3]);
    expect(inferShapes(m).get(Y)!.shape).toEqual([1, 5]);
  });

  it('keeps float16 as raw bits and runs the same in onnxruntime', async () => {
    const b = new GraphBuilder(13);
    const half = b.op('Cast', [b.input('x', [2, 3])], { to: 10 });
    const bits = Uint16Array.from([0.5, -1, 2, 0.25, 3, -0.125], float16Bits);
    const sum = b.op('Add', [half, b.weight('h', [2, 3], bits, 'float16')]);
    const y = b.op('Cast', [sum], { to: 1 });
    b.output(y);
    const m = b.model;
    const back = decodeOnnx(encodeOnnx(m));
    expect(back.graph.initializers.get('h')!.data).toBeInstanceOf(Uint16Array);
    expect(back).toEqual(m);
    const a = await runModel(m);
    const c = await runModel(back);
    expect(Array.from(c.get(y)!.data)).toEqual(Array.from(a.get(y)!.data));
    expect(inferShapes(m).get(sum)!.dtype).toBe('float16');
  });
});

describe('reading normalises exports', () => {
  it('drops initializers listed as graph inputs (IR 3 style)', () => {
    const m = smallCnn();
    m.irVersion = 3;
    const bytes = encodeOnnx(m);
    const raw = modelProto().decode(bytes) as unknown as { graph: { input: { name: string }[] } };
    expect(raw.graph.input.map((v) => v.name)).toContain('w');
    const back = decodeOnnx(bytes);
    expect(back.graph.inputs.map((v) => v.name)).toEqual(['x']);
  });

  it('names unnamed nodes by op type and index and sorts nodes topologically', () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 4]);
    b.node('Relu', ['mid'], {}, ['y']);
    b.node('Sigmoid', [x], {}, ['mid']);
    b.node('Relu', ['y'], {}, ['z']);
    b.model.graph.nodes[0].name = '';
    b.model.graph.nodes[2].name = 'Relu_0'; // taken: the generated name must not collide
    b.output('z');
    const back = decodeOnnx(encodeOnnx(b.model));
    expect(back.graph.nodes.map((n) => n.name)).toEqual(['sigmoid_1', 'Relu_0_1', 'Relu_0']);
    expect(back.graph.nodes.map((n) => n.outputs[0])).toEqual(['mid', 'y', 'z']);
  });

  it('reads the typed *_data fields', () => {
    const tensor = (name: string, data_type: number, dims: number[], field: string, values: unknown[]) => ({
      name,
      data_type,
      dims,
      [field]: values,
    });
    const bytes = modelProto()
      .encode({
        ir_version: 8,
        opset_import: [{ domain: '', version: 13 }],
        graph: {
          name: 'g',
          initializer: [
            tensor('f', 1, [2], 'float_data', [1.5, -2]),
            tensor('d', 11, [1], 'double_data', [Math.E]),
            tensor('l', 7, [2], 'int64_data', [-3, 2 ** 40]),
            tensor('h', 10, [1], 'int32_data', [0x3c00]),
            tensor('b', 3, [3], 'int32_data', [-1, 5, 127]),
            tensor('bool', 9, [2], 'int32_data', [1, 0]),
          ],
        },
      })
      .finish();
    const init = decodeOnnx(bytes).graph.initializers;
    expect(init.get('f')!.data).toEqual(Float32Array.of(1.5, -2));
    expect(init.get('d')!.data).toEqual(Float64Array.of(Math.E));
    expect(init.get('l')!.data).toEqual(BigInt64Array.of(-3n, 2n ** 40n));
    expect(init.get('h')!.data).toEqual(Uint16Array.of(0x3c00));
    expect(init.get('b')!.data).toEqual(Int8Array.of(-1, 5, 127));
    expect(init.get('bool')!.data).toEqual(Uint8Array.of(1, 0));
  });

  it('reads an empty tensor without raw data (a PaddleOCR export crashed the reader with "bytes.subarray is not a function")', () => {
    const bytes = modelProto()
      .encode({
        ir_version: 8,
        opset_import: [{ domain: '', version: 13 }],
        graph: {
          name: 'g',
          node: [{ op_type: 'Constant', output: ['empty'], name: 'c', attribute: [{ name: 'value', type: 4, t: { name: '', data_type: 7, dims: [0] } }] }],
          initializer: [{ name: 'none', data_type: 1, dims: [3, 0] }],
        },
      })
      .finish();
    const model = decodeOnnx(bytes);
    expect(model.graph.initializers.get('none')!.data).toEqual(new Float32Array(0));
    const value = model.graph.nodes[0].attributes.value;
    expect(value.kind === 'tensor' && value.value.data).toEqual(new BigInt64Array(0));
  });

  it('writes nothing half-done: the file appears complete', () => {
    const path = join(dir, 'atomic.onnx');
    writeOnnxFile(path, smallCnn());
    expect(readFileSync(path).length).toBe(encodeOnnx(smallCnn()).length);
  });
});
