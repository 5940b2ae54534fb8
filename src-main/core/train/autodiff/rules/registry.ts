/**
 * Every gradient rule, keyed by ONNX op type (default domain). Adding an operator means adding
 * a rule to one of the family files; the driver in `differentiate.ts` never changes.
 *
 * Operators whose outputs are not floating point (Shape, Size, Equal, ArgMax, ...) need no
 * rule: no gradient flows through integer or boolean tensors, so the Shape -> Gather ->
 * Concat chains of PyTorch exports are never differentiated.
 */
import type { GradientRule } from '../rule';
import { activationRules } from './activation';
import { arithmeticRules } from './arithmetic';
import { convRules } from './conv';
import { linearRules } from './linear';
import { lossRules } from './loss';
import { normRules } from './norm';
import { poolRules } from './pool';
import { shapeRules } from './shape';

export const GRADIENT_RULES: Readonly<Record<string, GradientRule>> = {
  ...convRules,
  ...poolRules,
  ...linearRules,
  ...normRules,
  ...activationRules,
  ...arithmeticRules,
  ...shapeRules,
  ...lossRules,
};
