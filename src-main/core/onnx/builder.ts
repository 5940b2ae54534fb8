/**
 * A small builder for graphs over the IR: the zoo, the training engine and the tests use it to
 * write networks as code. Nodes get stable names (`conv_3`) and outputs (`conv3_0`) unless named.
 *
 * @example
 *   const g = new GraphBuilder(17);
 *   const x = g.input('x', ['N', 1, 28, 28]);
 *   const y = g.op('Relu', [g.op('Conv', [x, g.weight('w', [8, 1, 3, 3])], { pads: [1, 1, 1, 1] })]);
 *   g.output(y);
 */
import { emptyModel } from './ir';
import type { Attribute, DataType, Dim, Model, Node, Tensor, TensorData } from './ir';

export type AttrInput = Attribute | number | number[] | string | string[];

/** Integers become 'int(s)', other numbers 'float(s)'; pass an Attribute to force a kind. */
function toAttribute(v: AttrInput): Attribute {
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', value: v } : { kind: 'float', value: v };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') return { kind: 'strings', value: v as string[] };
    const nums = v as number[];
    return nums.every(Number.isInteger) ? { kind: 'ints', value: nums } : { kind: 'floats', value: nums };
  }
  return v;
}

export const float = (value: number): Attribute => ({ kind: 'float', value });

export class GraphBuilder {
  readonly model: Model;
  private count = 0;

  constructor(opset: number, irVersion = 8) {
    this.model = emptyModel(opset, irVersion);
  }

  input(name: string, shape: Dim[], dtype: DataType = 'float32'): string {
    this.model.graph.inputs.push({ name, dtype, shape });
    return name;
  }

  /** An initializer; without data it is shape-only and gets generated weights on export. */
  weight(name: string, dims: number[], data: TensorData | null = null, dtype: DataType = 'float32'): string {
    this.model.graph.initializers.set(name, { name, dtype, dims, data });
    return name;
  }

  /** A 1-d int64 initializer (shapes, axes, pads, split sizes). */
  ints(name: string, values: number[]): string {
    return this.weight(name, [values.length], BigInt64Array.from(values.map(BigInt)), 'int64');
  }

  /** Adds a node; returns its output names (`outputs` names them or says how many). */
  node(opType: string, inputs: string[], attrs: Record<string, AttrInput> = {}, outputs: number | string[] = 1): string[] {
    const index = this.count++;
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${opType.toLowerCase()}${index}_${i}`) : outputs;
    const attributes: Record<string, Attribute> = {};
    for (const [k, v] of Object.entries(attrs)) attributes[k] = toAttribute(v);
    const node: Node = { name: `${opType.toLowerCase()}_${index}`, opType, domain: '', inputs, outputs: outs, attributes };
    this.model.graph.nodes.push(node);
    return outs;
  }

  /** Shorthand for single-output nodes. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrInput> = {}): string {
    return this.node(opType, inputs, attrs)[0];
  }

  output(name: string, dtype: DataType = 'float32'): void {
    this.model.graph.outputs.push({ name, dtype, shape: null });
  }
}

export function tensorOf(name: string, dtype: DataType, dims: number[], data: TensorData): Tensor {
  return { name, dtype, dims, data };
}
