/** Models of a project: the zoo, importing ONNX files, and what a model file contains. */
import type { ModelRef } from '../project/schema';

export interface ZooModelInfo {
  /** Use as `zoo:<name>`. */
  name: string;
  title: string;
  description: string;
  /** `3x224x224` or `1x28x28`. */
  input: string;
  macs: number;
  params: number;
  /** Small nets Joule trains; the ImageNet classics are for analysis only. */
  trainable: boolean;
}

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

export interface ImportedModel {
  ref: ModelRef;
  summary: ModelSummary;
}

/** Where a model comes from in a request: a project model file, or the zoo. */
export type ModelSource = { path: string; baseDir: string } | { zoo: string };

/**
 * Where an imported model comes from: a file left where it is (referenced relative to the
 * project), bytes uploaded by the window (browser host drag and drop), or the zoo. Uploads and
 * zoo models are written to the `models/` folder beside the project file.
 */
export type ImportSource = { kind: 'file'; path: string } | { kind: 'upload'; fileName: string; dataBase64: string } | { kind: 'zoo'; name: string };

export interface ImportRequest {
  source: ImportSource;
  /** The saved project's file; null for a project never saved (then only `file` sources work). */
  projectPath: string | null;
  /** Folder model paths are relative to. */
  baseDir: string;
  /** Id for the new model reference, unique in the project. */
  id: string;
}

export interface ModelsApi {
  zoo(): Promise<ZooModelInfo[]>;
  /** Starts a job that reads, checks (shape inference) and hashes the model; its result is an `ImportedModel`. */
  startImport(request: ImportRequest): Promise<string>;
}
