/**
 * Maps Conv, ConvTranspose, Gemm and MatMul nodes onto the one loop nest the tiling model
 * knows: G groups of (M output channels, C input channels, rows x cols outputs, R x S kernel).
 *
 * - Conv: as is. 1-d convolutions have one row; 3-d ones fold depth into rows (outputs) and
 *   into C (kernel), which keeps MACs and tensor sizes exact and approximates the halo.
 * - ConvTranspose: each input position scatters into (C_out / G) x kernel outputs, modelled as
 *   a 1x1 convolution with M = (C_out / G) x kernel; MACs and weights are exact, the output is
 *   counted before overlapping windows are summed (an overestimate by kernel / stride^2).
 * - Gemm / MatMul: a 1x1 convolution with rows = the batch of rows of A, M = columns of B,
 *   C = the shared dimension. A batched MatMul whose B also has batch dims is one group per
 *   batch entry.
 */
import { EnergyModelError } from './errors';
import type { ConvWorkload } from './tiling';
import { attrInt, attrInts, tensorSize } from '../onnx/ir';
import type { Node } from '../onnx/ir';
import type { ShapeOf } from '../onnx/count';

function lastTwo(values: number[], fill: number): [number, number] {
  const v = values.length >= 2 ? values.slice(-2) : [fill, ...values];
  return [v[0] ?? fill, v[1] ?? fill];
}

function conv(node: Node, shape: ShapeOf): ConvWorkload {
  const x = shape(node.inputs[0]);
  const w = shape(node.inputs[1]);
  const y = shape(node.outputs[0]);
  const groups = attrInt(node, 'group', 1);
  const kernel = w.slice(2);
  const ones = kernel.map(() => 1);
  const strides = attrInts(node, 'strides', ones);
  const dilations = attrInts(node, 'dilations', ones);
  const inSpatial = x.slice(2);
  const outSpatial = y.slice(2);
  const extraOut = tensorSize(outSpatial.slice(0, -2));
  const extraIn = tensorSize(inSpatial.slice(0, -2));
  const extraKernel = tensorSize(kernel.slice(0, -2));
  const [p, q] = lastTwo(outSpatial, 1);
  const [h, wi] = lastTwo(inSpatial, 1);
  const [r, s] = lastTwo(kernel, 1);
  const [sh, sw] = lastTwo(strides, 1);
  const [dh, dw] = lastTwo(dilations, 1);
  return {
    groups,
    m: w[0] / groups,
    c: w[1] * extraKernel,
    rows: y[0] * extraOut * p,
    cols: q,
    r,
    s,
    strideH: sh,
    strideW: sw,
    dilationH: dh,
    dilationW: dw,
    inRows: x[0] * extraIn * h,
    inCols: wi,
    bias: node.inputs[2] ? w[0] / groups : 0,
  };
}

function pointwise(groups: number, m: number, c: number, rows: number, bias: number): ConvWorkload {
  return { groups, m, c, rows, cols: 1, r: 1, s: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, inRows: rows, inCols: 1, bias };
}

function convTranspose(node: Node, shape: ShapeOf): ConvWorkload {
  const x = shape(node.inputs[0]);
  const w = shape(node.inputs[1]);
  const groups = attrInt(node, 'group', 1);
  const outPerGroup = w[1] * tensorSize(w.slice(2));
  const positions = x[0] * tensorSize(x.slice(2));
  return pointwise(groups, outPerGroup, w[0] / groups, positions, node.inputs[2] ? w[1] : 0);
}

function gemm(node: Node, shape: ShapeOf): ConvWorkload {
  const a = shape(node.inputs[0]);
  const b = shape(node.inputs[1]);
  const [rows, k] = attrInt(node, 'transA', 0) ? [a[1], a[0]] : [a[0], a[1]];
  const n = attrInt(node, 'transB', 0) ? b[0] : b[1];
  const bias = node.inputs[2] ? tensorSize(shape(node.inputs[2])) : 0;
  return pointwise(1, n, k, rows, bias);
}

function matMul(node: Node, shape: ShapeOf): ConvWorkload {
  const a = shape(node.inputs[0]);
  const b = shape(node.inputs[1]);
  const k = a[a.length - 1];
  const n = b.length === 1 ? 1 : b[b.length - 1];
  const rowsA = a.length === 1 ? 1 : a[a.length - 2];
  const batchA = tensorSize(a.slice(0, -2));
  const batchB = tensorSize(b.slice(0, -2));
  // B shared by every batch entry (a weight) or one B per entry (attention-style products).
  return batchB > 1 ? pointwise(Math.max(batchA, batchB), n, k, rowsA, 0) : pointwise(1, n, k, batchA * rowsA, 0);
}

const WORKLOADS: Record<string, (node: Node, shape: ShapeOf) => ConvWorkload> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matMul,
};

/** The loop nest of a MAC layer; throws for an op the tiling model does not cover. */
export function convWorkload(node: Node, shape: ShapeOf): ConvWorkload {
  const build = WORKLOADS[node.opType];
  if (!build) throw new EnergyModelError(`Node '${node.name}' (${node.opType}) is not a convolution or matrix product.`);
  return build(node, shape);
}
