/**
 * onnxruntime's NCHWc block size in this process: MLAS picks it from the CPU (16 floats with
 * AVX-512, 8 with AVX2) and registers the `com.microsoft.nchwc` operators only where it has
 * kernels for them, so the size is asked of onnxruntime itself rather than guessed from the CPU.
 * The training graph's blocked convolutions (`autodiff/rules/conv-nchwc.ts`) need it.
 *
 * @example await nchwcBlockSize() // 16 on an AVX-512 machine; 0 where NCHWc is unavailable
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../onnx/builder';
import { openSession } from '../onnx/session';
import { NCHWC_DOMAIN } from './autodiff/rules/conv-nchwc';

let probed: Promise<number> | null = null;

/** The block size, probed once (ReorderInput pads 4 channels up to one block); 0 when the operators are missing. */
export function nchwcBlockSize(): Promise<number> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<number> {
  const b = new GraphBuilder(17);
  b.input('x', [1, 4, 1, 1]);
  b.node('ReorderInput', ['x'], {}, ['y']);
  b.output('y');
  b.model.graph.nodes[0].domain = NCHWC_DOMAIN;
  b.model.opsetImports.push({ domain: NCHWC_DOMAIN, version: 1 });
  try {
    const session = await openSession(b.model);
    try {
      const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
      const block = Number(out.y.dims[1]);
      return Number.isInteger(block) && block > 4 ? block : 0;
    } finally {
      await session.release();
    }
  } catch {
    return 0;
  }
}
