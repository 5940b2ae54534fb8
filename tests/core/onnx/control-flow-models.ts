/** Small models with control flow (If, Loop, Scan), shared by the control-flow and CLI tests. */
import type { Graph, Model, Node, Tensor, ValueInfo } from '../../../src-main/core/onnx/ir';
import { GraphBuilder } from './build';

const v = (name: string, dtype: ValueInfo['dtype'], shape: ValueInfo['shape']): ValueInfo => ({ name, dtype, shape });
const n = (name: string, opType: string, inputs: string[], outputs: string[], attributes: Node['attributes'] = {}): Node => ({ name, opType, domain: '', inputs, outputs, attributes });
const graph = (name: string, nodes: Node[], inputs: ValueInfo[], outputs: ValueInfo[], initializers: Tensor[] = []): Graph => ({
  name,
  nodes,
  inputs,
  outputs,
  initializers: new Map(initializers.map((t) => [t.name, t])),
  valueInfo: new Map(),
});
const floats = (name: string, dims: number[], fill: (i: number) => number): Tensor => ({ name, dtype: 'float32', dims, data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => fill(i)) });

/** If on a run-time condition: then = Relu(Conv(x)) (costly), else = x * 2 (cheap); both read the outer x and w. */
export function ifModel(): Model {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 4, 6, 6]);
  const cond = b.input('cond', [], 'bool');
  b.model.graph.initializers.set('w', floats('w', [4, 4, 3, 3], (i) => Math.sin(i) * 0.1));
  const thenBranch = graph('then', [n('t_conv', 'Conv', ['x', 'w'], ['t_c'], { pads: { kind: 'ints', value: [1, 1, 1, 1] } }), n('t_relu', 'Relu', ['t_c'], ['t_out'])], [], [v('t_out', 'float32', null)]);
  const elseBranch = graph('else', [n('e_mul', 'Mul', ['x', 'two'], ['e_out'])], [], [v('e_out', 'float32', null)], [floats('two', [], () => 2)]);
  b.node('If', [cond], { then_branch: { kind: 'graph', value: thenBranch }, else_branch: { kind: 'graph', value: elseBranch } }, ['y']);
  b.model.graph.nodes[0].name = 'choose';
  b.output('y');
  void x;
  return b.model;
}

/** Loop of 3 trips: v += 1 each trip, scan output v * 2 per trip. */
export function loopModel(): Model {
  const b = new GraphBuilder(13);
  b.input('v0', [2, 3]);
  b.model.graph.initializers.set('M', { name: 'M', dtype: 'int64', dims: [], data: BigInt64Array.of(3n) });
  const body = graph(
    'body',
    [n('b_cond', 'Identity', ['cond_in'], ['cond_out']), n('b_add', 'Add', ['v_in', 'one'], ['v_out']), n('b_mul', 'Mul', ['v_in', 'two'], ['scan_out'])],
    [v('i', 'int64', []), v('cond_in', 'bool', []), v('v_in', 'float32', [2, 3])],
    [v('cond_out', 'bool', []), v('v_out', 'float32', [2, 3]), v('scan_out', 'float32', [2, 3])],
    [floats('one', [], () => 1), floats('two', [], () => 2)],
  );
  b.node('Loop', ['M', '', 'v0'], { body: { kind: 'graph', value: body } }, ['v_final', 'scans']);
  b.model.graph.nodes[0].name = 'repeat';
  b.output('v_final');
  b.output('scans');
  return b.model;
}

/** Scan (opset 11) over the 4 rows of x: a running sum as state, each partial sum as the scan output. */
export function scanModel(): Model {
  const b = new GraphBuilder(11);
  b.input('s0', [2]);
  b.input('xs', [4, 2]);
  const body = graph('body', [n('s_add', 'Add', ['s_in', 'x_i'], ['s_out']), n('s_copy', 'Identity', ['s_out'], ['y_i'])], [v('s_in', 'float32', [2]), v('x_i', 'float32', [2])], [v('s_out', 'float32', [2]), v('y_i', 'float32', [2])]);
  b.node('Scan', ['s0', 'xs'], { body: { kind: 'graph', value: body }, num_scan_inputs: { kind: 'int', value: 1 } }, ['s_final', 'ys']);
  b.model.graph.nodes[0].name = 'cumsum';
  b.output('s_final');
  b.output('ys');
  return b.model;
}
