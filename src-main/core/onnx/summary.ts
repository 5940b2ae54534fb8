/** What an ONNX model contains, for the model library: inputs and outputs with shapes, ops, MACs, parameters. */
import type { ModelSummary } from '../../common/models/summary';
import { countModel } from './count';
import type { Model } from './ir';
import { inferShapes } from './shapes';

/** Runs shape inference, so a model Joule cannot analyse fails here with the node's name. */
export function summarizeModel(model: Model): ModelSummary {
  const shapes = inferShapes(model);
  const ops: Record<string, number> = {};
  for (const n of model.graph.nodes) ops[n.opType] = (ops[n.opType] ?? 0) + 1;
  const shapeOf = (name: string) => (shapes.get(name)?.shape ?? []).map((d) => d);
  const { macs, params } = countModel(model);
  return {
    graphName: model.graph.name,
    opset: model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    inputs: model.graph.inputs.filter((v) => !model.graph.initializers.has(v.name)).map((v) => ({ name: v.name, shape: v.shape ?? shapeOf(v.name) })),
    outputs: model.graph.outputs.map((v) => ({ name: v.name, shape: shapeOf(v.name) })),
    nodes: model.graph.nodes.length,
    ops,
    macs,
    params,
  };
}
