/**
 * The losses a training graph can end in, appended to the forward graph as ordinary nodes so
 * the reverse pass differentiates them like any other operator.
 *
 * - cross-entropy: SoftmaxCrossEntropyLoss(logits, labels), mean over the batch.
 * - distillation (Hinton et al. 2015): alpha * CE(labels)
 *   + (1 - alpha) * T^2 * mean_n KL(softmax(t_n / T) || softmax(s_n / T)); the T^2 keeps the
 *   soft term's gradient on the scale of the hard one as T changes.
 */
import type { Dim, Graph, Node, Tensor } from '../../onnx/ir';
import { int, ints, str } from './attrs';
import type { FloatType } from './emitter';
import { GradientError } from './errors';

export type LossSpec =
  | {
      kind: 'cross-entropy';
      /** Name of the int64 [N] labels input (conventionally 'labels'). */
      labels: string;
    }
  | {
      kind: 'distillation';
      temperature: number;
      /** Weight of the hard-label cross-entropy term; 0 = pure distillation (no labels input). */
      alpha: number;
      /** Name of the float [N, K] teacher logits input (conventionally 'teacher_logits'). */
      teacherLogits: string;
      /** Name of the labels input when alpha > 0 (default 'labels'). */
      labels?: string;
    };

/** Names of the loss output and of the copy of the model's output. */
export const LOSS_OUTPUT = 'loss';
export const LOGITS_OUTPUT = 'logits';

/** The graph inputs a loss reads, besides the model's own. */
export function lossInputs(spec: LossSpec): string[] {
  switch (spec.kind) {
    case 'cross-entropy':
      return [spec.labels];
    case 'distillation':
      return [spec.teacherLogits, ...(spec.alpha > 0 ? [spec.labels ?? 'labels'] : [])];
    default: {
      const never: never = spec;
      throw new GradientError(`Unknown loss ${JSON.stringify(never)}.`);
    }
  }
}

/**
 * Appends the nodes computing scalar `loss` from `logits` ([N, K]) and declares the inputs the
 * loss reads. Mutates `graph` (a copy owned by the caller).
 */
export function appendLoss(graph: Graph, logits: string, batch: Dim, classes: number, float_: FloatType, spec: LossSpec): void {
  const taken = new Set<string>([...graph.initializers.keys(), ...graph.inputs.map((v) => v.name)]);
  for (const n of graph.nodes) [n.name, ...n.outputs].forEach((t) => taken.add(t));
  let serial = 0;
  const fresh = (hint: string) => {
    let name = `loss/${hint}`;
    for (let k = 1; taken.has(name); k++) name = `loss/${hint}_${k}`;
    taken.add(name);
    return name;
  };
  const op = (opType: string, inputs: string[], attributes: Node['attributes'] = {}, output = fresh(opType.toLowerCase())) => {
    graph.nodes.push({ name: fresh(`${opType}_${serial++}`), opType, domain: '', inputs, outputs: [output], attributes });
    return output;
  };
  const scalar = (value: number) => {
    const t: Tensor = { name: fresh('const'), dtype: float_, dims: [], data: float_ === 'float64' ? Float64Array.from([value]) : Float32Array.from([value]) };
    graph.initializers.set(t.name, t);
    return t.name;
  };
  const labelsInput = (name: string) => graph.inputs.push({ name, dtype: 'int64', shape: [batch] });
  const crossEntropy = (labels: string, output?: string) =>
    op('SoftmaxCrossEntropyLoss', [logits, labels], { reduction: str('mean') }, output);

  switch (spec.kind) {
    case 'cross-entropy':
      labelsInput(spec.labels);
      crossEntropy(spec.labels, LOSS_OUTPUT);
      return;
    case 'distillation': {
      const { temperature: t, alpha } = spec;
      if (!(t > 0) || !(alpha >= 0 && alpha <= 1)) {
        throw new GradientError(`Distillation needs temperature > 0 and alpha in [0, 1], got temperature ${t} and alpha ${alpha}.`);
      }
      graph.inputs.push({ name: spec.teacherLogits, dtype: float_, shape: [batch, classes] });
      const logSoft = (x: string) => op('LogSoftmax', [op('Div', [x, scalar(t)])], { axis: int(1) });
      const student = logSoft(logits);
      const teacher = logSoft(spec.teacherLogits);
      const perSample = op('ReduceSum', [op('Mul', [op('Exp', [teacher]), op('Sub', [teacher, student])]), ints1(graph, fresh, 1)], {
        keepdims: int(0),
      });
      const kl = op('ReduceMean', [perSample], { axes: ints([0]), keepdims: int(0) });
      const soft = op('Mul', [kl, scalar((1 - alpha) * t * t)], {}, alpha > 0 ? undefined : LOSS_OUTPUT);
      if (alpha > 0) {
        const labels = spec.labels ?? 'labels';
        labelsInput(labels);
        op('Add', [op('Mul', [crossEntropy(labels), scalar(alpha)]), soft], {}, LOSS_OUTPUT);
      }
      return;
    }
    default: {
      const never: never = spec;
      throw new GradientError(`Unknown loss ${JSON.stringify(never)}.`);
    }
  }
}

/** An int64 [1] initializer (ReduceSum's axes input). */
function ints1(graph: Graph, fresh: (hint: string) => string, value: number): string {
  const t: Tensor = { name: fresh('axes'), dtype: 'int64', dims: [1], data: BigInt64Array.from([BigInt(value)]) };
  graph.initializers.set(t.name, t);
  return t.name;
}

