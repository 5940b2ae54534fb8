/** What an ONNX file contains, as the model library shows it. */

export interface ModelSummary {
  graphName: string;
  opset: number;
  producer: string;
  inputs: { name: string; shape: (number | string)[] }[];
  outputs: { name: string; shape: (number | string)[] }[];
  nodes: number;
  /** Node count per operator type. */
  ops: Record<string, number>;
  macs: number;
  params: number;
}
