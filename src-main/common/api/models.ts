/** Models of a project: the zoo, importing ONNX files, and what a model file contains. */
import type { InputShapes } from '../models/input-shapes';
import type { ModelSummary } from '../models/summary';
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
  /** Where the architecture comes from. */
  source: string;
}


/** An input whose dimensions (other than the batch) the file leaves dynamic, with a size to suggest. */
export interface DynamicInput {
  name: string;
  /** As the file declares it: numbers, and names or '?' for dynamic dimensions. */
  declared: (number | string)[];
  suggested: number[];
}

/**
 * The imported model's reference and summary; or, for a file with dynamic input dimensions and no
 * shapes given, those inputs and the file to import again with `inputShapes` (uploads are written
 * once, then imported from `file`).
 */
export type ImportedModel = { ref: ModelRef; summary: ModelSummary } | { needsShapes: DynamicInput[]; file: string };

/**
 * Where a model comes from in a request: a project model file, or the zoo; with the shapes of
 * inputs whose dimensions the file leaves dynamic.
 */
export type ModelSource = ({ path: string; baseDir: string } | { zoo: string }) & { inputShapes?: InputShapes; controlFlow?: ControlFlowChoices };

/** How control flow is costed: an If's branch and a Loop's or Scan's trips, by node name, where the graph does not decide. */
export interface ControlFlowChoices {
  branches?: Record<string, 'then' | 'else'>;
  tripCounts?: Record<string, number>;
}

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
  /** Shapes of the inputs with dynamic dimensions (see `DynamicInput`). */
  inputShapes?: InputShapes;
}

/** Write a zoo model to an ONNX file: trained weights where Joule ships them, else seeded random ones. */
export interface ZooExportRequest {
  /** A zoo name, with or without the `zoo:` prefix. */
  name: string;
  /** The `.onnx` file to write (absolute path). */
  out: string;
}

export interface ZooExportReport {
  name: string;
  file: string;
  /** True when the file holds trained weights (a shipped small-zoo model). */
  trained: boolean;
  macs: number;
  params: number;
}

export interface ModelsApi {
  zoo(): Promise<ZooModelInfo[]>;
  /** Starts a job that reads, checks (shape inference) and hashes the model; its result is an `ImportedModel`. */
  startImport(request: ImportRequest): Promise<string>;
  /** Starts a job that writes a zoo model to a file; its result is a `ZooExportReport`. */
  startExport(request: ZooExportRequest): Promise<string>;
}

export type { ModelSummary };
