/**
 * Every shape rule, keyed by ONNX op type (default domain). Adding an operator means adding a
 * rule to one of the family files; the driver in `shapes.ts` never changes.
 */
import type { ShapeRule } from '../shape-rule';
import { elementwiseRules } from './elementwise';
import { indexingRules } from './indexing';
import { linearRules } from './linear';
import { resampleRules } from './resample';
import { quantizeRules } from './quantize';
import { recurrentRules } from './recurrent';
import { reshapeRules } from './reshape';
import { windowRules } from './window';

export const SHAPE_RULES: Readonly<Record<string, ShapeRule>> = {
  ...windowRules,
  ...linearRules,
  ...elementwiseRules,
  ...reshapeRules,
  ...indexingRules,
  ...resampleRules,
  ...recurrentRules,
  ...quantizeRules,
};
