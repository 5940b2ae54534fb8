/** Every fuzz target, by name (the test and scripts/fuzz.ts read this list). */
import type { FuzzTarget } from '../runner';
import { browserTarget } from './browser';
import { devicesCsvTarget } from './devices-csv';
import { gapTarget } from './gap';
import { onnxTarget } from './onnx';
import { problemTarget } from './problem';
import { projectTarget } from './project';

export const fuzzTargets: Record<string, FuzzTarget<never>> = {
  onnx: onnxTarget as FuzzTarget<never>,
  project: projectTarget as FuzzTarget<never>,
  'devices-csv': devicesCsvTarget as FuzzTarget<never>,
  gap: gapTarget as FuzzTarget<never>,
  problem: problemTarget as FuzzTarget<never>,
  browser: browserTarget as FuzzTarget<never>,
};
