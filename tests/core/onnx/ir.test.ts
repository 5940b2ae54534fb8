import { describe, expect, it } from 'vitest';
import { float16Bits } from '../../../src-main/core/onnx/dtype';
import { OnnxError } from '../../../src-main/core/onnx/errors';
import { attrFloat, attrInt, attrInts, attrString, opsetOf, tensorSize } from '../../../src-main/core/onnx/ir';
import { inferValues } from '../../../src-main/core/onnx/shapes';
import { sortNodes } from '../../../src-main/core/onnx/toposort';
import { float, GraphBuilder } from './build';

function conv() {
  const b = new GraphBuilder(17);
  b.op('Conv', [b.input('x', [1, 3, 8, 8]), b.weight('w', [4, 3, 3, 3])], {
    group: 1,
    pads: [1, 1, 1, 1],
    alpha: float(0.5),
    auto_pad: 'NOTSET',
  });
  return b.model;
}

describe('attribute getters', () => {
  const node = conv().graph.nodes[0];

  it('return the value, or the default when absent', () => {
    expect(attrInt(node, 'group', 7)).toBe(1);
    expect(attrInt(node, 'missing', 7)).toBe(7);
    expect(attrInts(node, 'pads', [])).toEqual([1, 1, 1, 1]);
    expect(attrInts(node, 'strides', [1, 1])).toEqual([1, 1]);
    expect(attrFloat(node, 'alpha', 1)).toBe(0.5);
    expect(attrString(node, 'auto_pad', 'VALID')).toBe('NOTSET');
  });

  it('throw an OnnxError naming the node for the wrong kind or a missing required attribute', () => {
    expect(() => attrInt(node, 'pads', 0)).toThrow(OnnxError);
    expect(() => attrInt(node, 'pads', 0)).toThrow("Attribute 'pads' of node 'conv_0' (Conv) is of kind 'ints', expected 'int'.");
    expect(() => attrFloat(node, 'group')).toThrow("is of kind 'int', expected 'float'");
    expect(() => attrInts(node, 'kernel_shape')).toThrow("Node 'conv_0' (Conv) has no attribute 'kernel_shape'.");
  });
});

describe('helpers', () => {
  it('opsetOf finds the default domain under either name', () => {
    const m = conv();
    expect(opsetOf(m)).toBe(17);
    expect(opsetOf(m, 'ai.onnx')).toBe(17);
    m.opsetImports.push({ domain: 'com.microsoft', version: 1 });
    expect(opsetOf(m, 'com.microsoft')).toBe(1);
    expect(() => opsetOf(m, 'ai.onnx.ml')).toThrow("The model imports no opset for domain 'ai.onnx.ml'.");
  });

  it('tensorSize', () => {
    expect(tensorSize([])).toBe(1);
    expect(tensorSize([2, 3, 4])).toBe(24);
    expect(tensorSize([5, 0])).toBe(0);
  });

  it('float16Bits rounds to nearest even and handles the extremes', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(1e6)).toBe(0x7c00);
    expect(float16Bits(2 ** -24)).toBe(0x0001);
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
    expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  });

  it('sortNodes keeps a sorted graph in order', () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 2]);
    const r = b.op('Relu', [x]);
    b.op('Add', [b.op('Neg', [x]), r]);
    expect(sortNodes(b.model.graph).map((n) => n.name)).toEqual(['relu_0', 'neg_1', 'add_2']);
  });
});

describe('constant folding', () => {
  it('folds the PyTorch flatten chain down to the reshape target', () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['batch', 8, 2, 2]);
    const n = b.op('Gather', [b.op('Shape', [x]), b.op('Constant', [], { value_int: 0 })]);
    const target = b.op('Concat', [b.op('Unsqueeze', [n, b.ints('ax', [0])]), b.ints('m1', [-1])], { axis: 0 });
    const values = inferValues(b.model);
    expect(values.get(target)).toEqual({ dtype: 'int64', shape: [2], value: [1, -1] });
  });

  it('folds integer arithmetic with broadcasting and truncating division', () => {
    const b = new GraphBuilder(13);
    const s = b.op('Shape', [b.input('x', [1, 6, 7])]);
    const half = b.op('Div', [s, b.ints('two', [2])]);
    const values = inferValues(b.model);
    expect(values.get(half)!.value).toEqual([0, 3, 3]);
  });

  it('Constant value_float and value_floats give float32 tensors', () => {
    const b = new GraphBuilder(13);
    const c = b.op('Constant', [], { value_floats: [0.5, 1.5] });
    const d = b.op('Constant', [], { value_float: float(2) });
    const values = inferValues(b.model);
    expect(values.get(c)).toEqual({ dtype: 'float32', shape: [2], value: [0.5, 1.5] });
    expect(values.get(d)).toEqual({ dtype: 'float32', shape: [], value: [2] });
  });
});
