import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../src-main/common/errors';
import { encodeOnnx } from '../../../src-main/core/onnx/write';
import { loadDataset } from '../../../src-main/core/train/data/load';
import { selectSamples, type Dataset } from '../../../src-main/core/train/data/dataset';
import { defaultTrainConfig, Trainer, type TrainConfig } from '../../../src-main/core/train/trainer';
import { initializeWeights } from '../../../src-main/core/zoo/small/init';
import { lenet5 as buildLenet5 } from '../../../src-main/core/zoo/small/nets';

let train: Dataset;
let test: Dataset;
const normalize = { mean: [0.286], std: [0.353] };
const config: TrainConfig = {
  ...defaultTrainConfig,
  epochs: 1,
  batchSize: 64,
  optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
  schedule: { kind: 'cosine', base: 0.05, warmupSteps: 50, totalSteps: 0 },
  normalize,
  seed: 3,
  threads: 2,
};

beforeAll(async () => {
  train = await loadDataset('fashion-mnist', { split: 'train' });
  test = await loadDataset('fashion-mnist', { split: 'test' });
}, 60_000);

describe('Trainer', () => {
  it('trains LeNet-5 for one epoch on Fashion-MNIST to at least 85% test accuracy', async () => {
    const trainer = await Trainer.create(initializeWeights(buildLenet5(), 1), config);
    const reports: { fraction: number | null; message: string }[] = [];
    const history = await trainer.fit(train, { validation: test, progress: { report: (fraction, message) => reports.push({ fraction, message }), checkpoint() {} } });
    await trainer.release();
    expect(history).toHaveLength(1);
    // After the last step the window names the evaluation phase, and the bar stays where training left it.
    const evaluating = reports.filter((r) => r.message.startsWith('Epoch 1 of 1: evaluating on the test set (evaluated '));
    expect(evaluating.length).toBeGreaterThan(1);
    expect(evaluating.at(-1)!.message).toContain(`evaluated ${test.size} of ${test.size} images`);
    expect(new Set(evaluating.map((r) => r.fraction))).toEqual(new Set([reports.find((r) => r.message.includes('step 938 of 938'))!.fraction]));
    expect(history[0].validationAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(history[0].trainLoss).toBeLessThan(0.7);
  }, 240_000);

  it('writes a model whose plain onnxruntime session gives the training forward pass logits', async () => {
    const small = selectSamples(train, Uint32Array.from({ length: 512 }, (_, i) => i * 97));
    const trainer = await Trainer.create(initializeWeights(buildLenet5(), 2), { ...config, epochs: 1 });
    await trainer.fit(small);
    const probe = selectSamples(test, Uint32Array.from({ length: 32 }, (_, i) => i));
    const evaluated = await trainer.evaluate(probe);
    // Training ran blocked convolutions (com.microsoft.nchwc) where the CPU has them; the written model stays standard ONNX.
    const written = trainer.trainedModel();
    expect(written.graph.nodes.filter((n) => n.domain !== '' && n.domain !== 'ai.onnx')).toEqual([]);
    expect(written.opsetImports.map((o) => o.domain).filter((d) => d !== '' && d !== 'ai.onnx')).toEqual([]);
    const session = await ort.InferenceSession.create(encodeOnnx(written));
    const { batches } = await import('../../../src-main/core/train/data/batches');
    const [batch] = [...batches(probe, { batchSize: 32, shuffle: false, normalize, reuseBuffers: false })];
    const plain = (await session.run({ input: new ort.Tensor('float32', batch.x, batch.dims) }))[session.outputNames[0]].data as Float32Array;
    // The training graph's own forward (train-mode session, same weights): compare logits.
    const step = await trainer.forwardLogits(batch.x, batch.dims);
    expect(plain.length).toBe(32 * 10);
    for (let i = 0; i < plain.length; i++) expect(plain[i]).toBeCloseTo(step[i], 4);
    expect(evaluated.samples).toBe(32);
    await trainer.release();
  }, 120_000);

  it('resumes from a checkpoint, after a cancel mid-epoch, to exactly the same weights', async () => {
    const small = selectSamples(train, Uint32Array.from({ length: 640 }, (_, i) => i * 89));
    const twoEpochs = { ...config, epochs: 2 };
    const straight = await Trainer.create(initializeWeights(buildLenet5(), 4), twoEpochs);
    await straight.fit(small);
    const interrupted = await Trainer.create(initializeWeights(buildLenet5(), 4), twoEpochs);
    let steps = 0;
    const stopAfter13 = { report() {}, checkpoint() { if (++steps > 13) throw new JobCancelledError('The job was cancelled.'); } };
    await expect(interrupted.fit(small, { progress: stopAfter13 })).rejects.toBeInstanceOf(JobCancelledError);
    expect(interrupted.step).toBe(13);
    const resumed = await Trainer.create(initializeWeights(buildLenet5(), 99), twoEpochs);
    resumed.restore(interrupted.checkpoint());
    await resumed.fit(small);
    expect(resumed.step).toBe(straight.step);
    for (const name of ['conv1.weight', 'fc3.bias']) {
      const a = straight.trainedModel().graph.initializers.get(name)!.data as Float32Array;
      const b = resumed.trainedModel().graph.initializers.get(name)!.data as Float32Array;
      expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer)), name).toBe(true);
    }
    await Promise.all([straight.release(), interrupted.release(), resumed.release()]);
  }, 120_000);
});
