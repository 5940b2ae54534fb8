/**
 * Joule's ONNX layer: the graph IR, reading and writing ONNX files, and shape inference.
 *
 * @example
 * const model = readOnnxFile('resnet18.onnx', { weights: 'skip' });
 * const shapes = inferShapes(model);
 */
export * from './ir';
export { OnnxError, UnsupportedOperatorError } from './errors';
export { decodeOnnx, readOnnxFile, MAX_IR_VERSION, MIN_IR_VERSION } from './read';
export type { DecodeOptions } from './read';
export { encodeOnnx, writeOnnxFile } from './write';
export type { EncodeOptions, WriteOptions } from './write';
export { inferShapes, inferValues } from './shapes';
export type { InferShapesOptions } from './shapes';
export type { InferredValue, RuleContext, ShapeRule } from './shape-rule';
export { SHAPE_RULES } from './shape-rules/index';
export { sortNodes } from './toposort';
export { generateMissingWeights } from './random-init';
export { DTYPE_BYTES, dtypeFromCode, float16Bits, ONNX_DTYPE_CODE } from './dtype';
