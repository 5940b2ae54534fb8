import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxError, UnsupportedOperatorError, withModelFile } from '../../../src-main/core/onnx/errors';
import { modelProto } from '../../../src-main/core/onnx/proto';
import { decodeOnnx, readOnnxFile } from '../../../src-main/core/onnx/read';
import { withInputShapes } from '../../../src-main/core/onnx/input-shapes';
import { inferShapes } from '../../../src-main/core/onnx/shapes';
import { encodeOnnx, writeOnnxFile } from '../../../src-main/core/onnx/write';
import { GraphBuilder } from './build';

const dir = mkdtempSync(join(tmpdir(), 'joule-onnx-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function convModel() {
  const b = new GraphBuilder(17);
  const y = b.op('Conv', [b.input('x', [1, 3, 8, 8]), b.weight('w', [4, 3, 3, 3])]);
  b.output(y);
  return b;
}

/** The error thrown by `fn`, checked to be an OnnxError. */
function caught(fn: () => unknown): OnnxError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxError);
    expect((e as Error).name).toMatch(/OnnxError|UnsupportedOperatorError/);
    return e as OnnxError;
  }
  throw new Error('expected an OnnxError');
}

describe('reading errors name the file and the problem', () => {
  it('truncated file', () => {
    const path = join(dir, 'cut.onnx');
    const bytes = encodeOnnx(convModel().model);
    writeFileSync(path, bytes.subarray(0, bytes.length - 40));
    expect(caught(() => readOnnxFile(path)).message).toBe(
      `'${path}' is truncated: its ${bytes.length - 40} bytes end in the middle of an ONNX message.`,
    );
  });

  it('not a protobuf', () => {
    const path = join(dir, 'notes.onnx');
    writeFileSync(path, 'these are my notes, not a model\n'.repeat(4));
    expect(caught(() => readOnnxFile(path)).message).toBe(
      `'${path}' is not an ONNX model: its bytes are not an ONNX protobuf message.`,
    );
  });

  it('a valid protobuf that is not a model', () => {
    const bytes = modelProto().encode({ producer_name: 'x' }).finish();
    expect(caught(() => decodeOnnx(bytes, { source: 'a.onnx' })).message).toBe(
      "'a.onnx' is not an ONNX model: it holds no graph.",
    );
  });

  it('unsupported IR version', () => {
    const m = convModel().model;
    m.irVersion = 99;
    expect(caught(() => decodeOnnx(encodeOnnx(m), { source: 'new.onnx' })).message).toBe(
      "'new.onnx' uses ONNX IR version 99, but Joule reads versions 3 to 13.",
    );
  });

  it('unknown dtype names the tensor', () => {
    const bytes = modelProto()
      .encode({
        ir_version: 9,
        opset_import: [{ version: 19 }],
        graph: { initializer: [{ name: 'scale_f8', data_type: 17, dims: [1], raw_data: new Uint8Array(1) }] },
      })
      .finish();
    expect(caught(() => decodeOnnx(bytes, { source: 'q.onnx' })).message).toBe(
      "In 'q.onnx', initializer 'scale_f8' has data type FLOAT8E4M3FN, which Joule does not support.",
    );
  });

  it('raw data of the wrong size', () => {
    const bytes = modelProto()
      .encode({ ir_version: 8, graph: { initializer: [{ name: 'w', data_type: 1, dims: [2, 3], raw_data: new Uint8Array(8) }] } })
      .finish();
    expect(caught(() => decodeOnnx(bytes, { source: 'w.onnx' })).message).toBe(
      "In 'w.onnx', initializer 'w' holds 8 bytes of raw data, but shape [2, 3] of float32 needs 24.",
    );
  });

  it('missing file', () => {
    const path = join(dir, 'nope.onnx');
    expect(caught(() => readOnnxFile(path)).message).toBe(`Cannot read ONNX model '${path}': no such file.`);
  });

  it('missing or escaping external data', () => {
    const path = join(dir, 'ext.onnx');
    writeOnnxFile(path, convModel().model, { externalDataThresholdBytes: 16 });
    rmSync(`${path}.data`);
    expect(caught(() => readOnnxFile(path)).message).toBe(
      `In '${path}', the external data file 'ext.onnx.data' of initializer 'w' cannot be opened.`,
    );
    const bytes = modelProto()
      .encode({
        ir_version: 8,
        graph: {
          initializer: [
            { name: 'w', data_type: 1, dims: [1], data_location: 1, external_data: [{ key: 'location', value: '../../etc/passwd' }] },
          ],
        },
      })
      .finish();
    expect(caught(() => decodeOnnx(bytes, { baseDir: dir, source: 'evil.onnx' })).message).toBe(
      "In 'evil.onnx', initializer 'w' points to external file '../../etc/passwd' outside the model's folder, which Joule refuses to read.",
    );
  });

  it('a graph attribute without its graph, and tensor lists, are refused clearly', () => {
    const encode = (attribute: object) =>
      modelProto()
        .encode({ ir_version: 8, opset_import: [{ version: 13 }], graph: { input: [], node: [{ name: 'if_1', op_type: 'If', input: [], output: ['y'], attribute: [attribute] }] } })
        .finish();
    expect(caught(() => decodeOnnx(encode({ name: 'then_branch', type: 5 }), { source: 'if.onnx' })).message).toBe(
      "In 'if.onnx', attribute 'then_branch' of node 'if_1' (If) is a graph attribute without a graph.",
    );
    expect(caught(() => decodeOnnx(encode({ name: 'parts', type: 9 }), { source: 'if.onnx' })).message).toBe(
      "In 'if.onnx', attribute 'parts' of node 'if_1' (If) holds a list of graphs, a sparse tensor or a tensor list, which Joule does not support.",
    );
  });
});

describe('graph structure errors', () => {
  it('cycle names the nodes and tensors', () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 2]);
    b.node('Add', [x, 'b_out'], {}, ['a_out']);
    b.node('Relu', ['a_out'], {}, ['b_out']);
    b.output('b_out');
    expect(caught(() => decodeOnnx(encodeOnnx(b.model), { source: 'loop.onnx' })).message).toBe(
      "In 'loop.onnx', nodes form a cycle: node 'add_0' reads 'b_out' from node 'relu_1', which reads 'a_out' from node 'add_0'.",
    );
  });

  it('an input nobody produces names the node and tensor', () => {
    const b = new GraphBuilder(13);
    b.node('Relu', ['ghost'], {}, ['y']);
    b.output('y');
    expect(caught(() => decodeOnnx(encodeOnnx(b.model), { source: 'g.onnx' })).message).toBe(
      "In 'g.onnx', node 'relu_0' (Relu) reads tensor 'ghost', which no node, graph input or initializer produces.",
    );
  });

  it('two producers of one tensor', () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1]);
    b.node('Relu', [x], {}, ['y']);
    b.node('Neg', [x], {}, ['y']);
    expect(caught(() => decodeOnnx(encodeOnnx(b.model), { source: 'd.onnx' })).message).toBe(
      "In 'd.onnx', tensor 'y' is produced by both node 'relu_0' and node 'neg_1'.",
    );
  });
});

describe('shape inference errors', () => {
  it('unsupported operator: exact message', () => {
    const b = new GraphBuilder(17);
    b.node('NonMaxSuppression', [b.input('boxes', [1, 10, 4]), b.input('scores', [1, 1, 10])], {}, ['sel']);
    b.model.graph.nodes[0].name = 'nms_1';
    const e = caught(() => inferShapes(b.model));
    expect(e).toBeInstanceOf(UnsupportedOperatorError);
    expect(e.message).toBe("Unsupported operator 'NonMaxSuppression' at node 'nms_1' (opset 17).");
  });

  it('operators of other domains are unsupported, with the domain named', () => {
    const b = new GraphBuilder(17);
    b.model.opsetImports.push({ domain: 'com.microsoft', version: 1 });
    b.node('FusedConv', [b.input('x', [1, 3, 4, 4])], {}, ['y']);
    b.model.graph.nodes[0].domain = 'com.microsoft';
    expect(caught(() => inferShapes(b.model)).message).toBe(
      "Unsupported operator 'com.microsoft.FusedConv' at node 'fusedconv_0' (opset 1).",
    );
  });

  it('channel mismatch names the node and weight', () => {
    const b = convModel();
    b.model.graph.initializers.get('w')!.dims = [4, 2, 3, 3];
    expect(caught(() => inferShapes(b.model)).message).toBe(
      "Node 'conv_0' (Conv): input has 3 channels but weight 'w' expects 2 per group x 1 groups.",
    );
  });

  it('reshape target computed at run time', () => {
    const b = new GraphBuilder(13);
    b.op('Reshape', [b.input('x', [2, 3]), b.input('s', [2], 'int64')]);
    expect(caught(() => inferShapes(b.model)).message).toBe(
      "Node 'reshape_0' (Reshape): needs its 'shape' input 's' to be a constant, but it is computed at run time.",
    );
  });

  it('dynamic dims other than the batch must be given, and the message says how, not which function to call', () => {
    const b = new GraphBuilder(13);
    b.op('Relu', [b.input('x', ['N', 3, 'height', 224])]);
    expect(caught(() => inferShapes(b.model)).message).toBe(
      'Graph input \'x\' has dynamic dimension "height" at axis 2; give the input\'s shape (on the command line: --input-shape x=1x3x224x224, with your sizes).',
    );
    expect(inferShapes(b.model, { dims: { height: 100 } }).get('x')!.shape).toEqual([1, 3, 100, 224]);
    expect(inferShapes(withInputShapes(b.model, { '': [2, 3, 100, 224] })).get('x')!.shape).toEqual([2, 3, 100, 224]);
  });

  it('input shapes that do not fit the graph are refused with a sentence naming the input', () => {
    const b = new GraphBuilder(13);
    b.op('Relu', [b.input('x', ['N', 3, 'height', 224])]);
    expect(caught(() => withInputShapes(b.model, { y: [1, 3, 4, 4] })).message).toBe('The model has no input "y"; its inputs are x.');
    expect(caught(() => withInputShapes(b.model, { x: [1, 3, 4] })).message).toBe('Input "x" has 4 dimensions (Nx3xheightx224), but the shape given has 3 (1x3x4).');
    expect(caught(() => withInputShapes(b.model, { x: [1, 4, 100, 224] })).message).toBe('Input "x" fixes dimension 1 at 3, but the shape given says 4 (1x4x100x224).');
  });

  it('integer tensors without data cannot be generated on export', () => {
    const b = new GraphBuilder(13);
    b.op('Reshape', [b.input('x', [2, 3]), b.weight('s', [2], null, 'int64')]);
    expect(caught(() => encodeOnnx(b.model)).message).toBe(
      "Tensor 's' (int64) has no data; only floating-point weights can be generated for export.",
    );
  });
});

// Issue 14: absurd sizes gave a raw RangeError; shape errors did not name the file.
describe('bounded sizes and named files', () => {
  it('a stored dimension of 1e12 names the file and the tensor', () => {
    const bytes = modelProto()
      .encode({ ir_version: 8, graph: { initializer: [{ name: 'w', data_type: 1, dims: [1e12, 4], raw_data: new Uint8Array(8) }] } })
      .finish();
    expect(caught(() => decodeOnnx(bytes, { source: 'big.onnx' })).message).toBe(
      "In 'big.onnx', initializer 'w' has dimension 1000000000000 in shape [1000000000000, 4]; dimensions must be whole numbers from 0 to 2,147,483,647.",
    );
  });

  it('a tensor of more elements than the limit names the file and the tensor', () => {
    const bytes = modelProto()
      .encode({ ir_version: 8, graph: { initializer: [{ name: 'w', data_type: 1, dims: [65536, 65536, 2], raw_data: new Uint8Array(8) }] } })
      .finish();
    expect(caught(() => decodeOnnx(bytes, { source: 'big.onnx' })).message).toBe(
      "In 'big.onnx', initializer 'w' has shape [65536, 65536, 2], 8589934592 elements; Joule reads tensors of at most 2,147,483,648 elements.",
    );
  });

  it('a declared input dimension of 1e12 names the file and the input', () => {
    const bytes = modelProto()
      .encode({ ir_version: 8, graph: { input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 1 }, { dim_value: 1e12 }] } } } }] } })
      .finish();
    expect(caught(() => decodeOnnx(bytes, { source: 'in.onnx' })).message).toBe(
      "In 'in.onnx', graph input 'x' has dimension 1000000000000 in shape [1, 1000000000000]; dimensions must be whole numbers from 0 to 2,147,483,647.",
    );
  });

  it('an initializer claiming more bytes than the file holds names the file and the tensor', () => {
    const path = join(dir, 'claims.onnx');
    const bytes = modelProto()
      .encode({ ir_version: 8, graph: { initializer: [{ name: 'w', data_type: 1, dims: [1000, 1000], raw_data: new Uint8Array(16) }] } })
      .finish();
    writeFileSync(path, bytes);
    expect(caught(() => readOnnxFile(path)).message).toBe(`In '${path}', initializer 'w' holds 16 bytes of raw data, but shape [1000, 1000] of float32 needs 4000000.`);
  });

  it('withModelFile names the file in an ONNX error that lacks it, once, and leaves other errors alone', () => {
    const b = new GraphBuilder(17);
    b.node('NonMaxSuppression', [b.input('boxes', [1, 10, 4])], {}, ['sel']);
    b.model.graph.nodes[0].name = 'nms_1';
    const e = caught(() => inferShapes(b.model));
    expect((withModelFile(e, 'models/det.onnx') as Error).message).toBe("In 'models/det.onnx': Unsupported operator 'NonMaxSuppression' at node 'nms_1' (opset 17).");
    expect(withModelFile(e, 'models/det.onnx')).toBeInstanceOf(UnsupportedOperatorError);
    expect((withModelFile(e, 'models/det.onnx') as Error).message.match(/det\.onnx/g)).toHaveLength(1);
    const plain = new Error('x');
    expect(withModelFile(plain, 'a.onnx')).toBe(plain);
    expect((withModelFile(new OnnxError('y'), null) as Error).message).toBe('y');
  });
});
