/**
 * Deterministic stand-in weights for shape-only tensors (`data: null`), so a zoo architecture
 * built without weights still exports to a file onnxruntime can run (for latency measurement,
 * calibration and as a fine-tuning starting point).
 */
import { fnv1a, mulberry32 } from '../../common/random';
import { float16Bits, isFloatDtype } from './dtype';
import { OnnxError } from './errors';
import { attrInt, tensorSize } from './ir';
import type { Model, Node, Tensor, TensorData } from './ir';

/**
 * Data for every initializer of `model` whose data is null, keyed by tensor name. Weights are
 * uniform in ±sqrt(6 / fanIn) (He et al., ICCV 2015, for ReLU networks); biases are zero;
 * normalisation scales and variances are one so the network neither explodes nor divides by
 * zero. Each tensor's stream is seeded from its name and `seed`, so the same model gives the
 * same bytes whatever the order of its initializers.
 *
 * @example const filled = generateMissingWeights(model); filled.get('conv1.weight')
 */
export function generateMissingWeights(model: Model, seed = 0): Map<string, TensorData> {
  const consumers = firstConsumers(model.graph.nodes);
  const out = new Map<string, TensorData>();
  for (const t of model.graph.initializers.values()) {
    if (t.data !== null) continue;
    out.set(t.name, generateTensorData(t, consumers.get(t.name), seed));
  }
  return out;
}

interface Use {
  node: Node;
  input: number;
}

function firstConsumers(nodes: Node[]): Map<string, Use> {
  const uses = new Map<string, Use>();
  for (const node of nodes) {
    node.inputs.forEach((name, input) => {
      if (name !== '' && !uses.has(name)) uses.set(name, { node, input });
    });
  }
  return uses;
}

type Fill = { kind: 'constant'; value: number } | { kind: 'uniform'; bound: number };

/** How each consumer wants its parameter filled, keyed by op type. */
const PARAM_FILL: Record<string, (use: Use, t: Tensor) => Fill | undefined> = {
  BatchNormalization: ({ input }) => ({ kind: 'constant', value: input === 1 || input === 4 ? 1 : 0 }),
  InstanceNormalization: ({ input }) => ({ kind: 'constant', value: input === 1 ? 1 : 0 }),
  LayerNormalization: ({ input }) => ({ kind: 'constant', value: input === 1 ? 1 : 0 }),
  Gemm: ({ node, input }, t) => {
    if (input !== 1 || t.dims.length !== 2) return undefined;
    return heUniform(attrInt(node, 'transB', 0) ? t.dims[1] : t.dims[0]);
  },
  MatMul: ({ input }, t) => (input === 1 && t.dims.length >= 2 ? heUniform(t.dims[t.dims.length - 2]) : undefined),
  // ConvTranspose weights are [C_in, C_out / group, k...]: each output sums over dims[1] x kernel.
  ConvTranspose: ({ input }, t) => (input === 1 && t.dims.length >= 3 ? heUniform(tensorSize(t.dims.slice(1))) : undefined),
};

function heUniform(fanIn: number): Fill {
  return { kind: 'uniform', bound: Math.sqrt(6 / Math.max(1, fanIn)) };
}

function defaultFill(t: Tensor): Fill {
  if (t.dims.length <= 1) return { kind: 'constant', value: 0 };
  return heUniform(tensorSize(t.dims.slice(1)));
}

/** Generated data for one shape-only tensor; integer tensors cannot be invented and throw. */
export function generateTensorData(t: Tensor, use: Use | undefined, seed = 0): TensorData {
  if (!isFloatDtype(t.dtype)) {
    throw new OnnxError(
      `Tensor '${t.name}' (${t.dtype}) has no data; only floating-point weights can be generated for export.`,
    );
  }
  const fill = (use && PARAM_FILL[use.node.opType]?.(use, t)) ?? defaultFill(t);
  const n = tensorSize(t.dims);
  const values = new Float64Array(n);
  if (fill.kind === 'constant') values.fill(fill.value);
  else {
    const next = mulberry32(fnv1a(t.name) ^ seed);
    for (let i = 0; i < n; i++) values[i] = (next() * 2 - 1) * fill.bound;
  }
  switch (t.dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return values;
    case 'float16':
      return Uint16Array.from(values, float16Bits);
    default:
      throw new Error(`unreachable dtype ${t.dtype}`);
  }
}
