/** A pruned model written out: the ONNX file and, beside it, the card that says where it came from and what it costs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PruneMetrics, PruneRequest } from '../../common/api/pruning';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { sha256Hex } from '../../core/io/hash';
import type { Model } from '../../core/onnx/ir';
import { writeOnnxFile } from '../../core/onnx/write';
import { classifierShape } from '../../core/train/evaluate';
import type { ResolvedModel } from '../../core/zoo/resolve';
import { cardBeside, type ModelCard } from '../../core/zoo/small/card';
import { DISTILLATION, finetuneConfig, type PruneData, type PruneRecipe } from './prune-data';

export interface VariantFacts {
  original: ResolvedModel;
  request: PruneRequest & { criterion: string };
  data: PruneData;
  recipe: PruneRecipe;
  seed: number;
  metrics: { before: PruneMetrics; after: PruneMetrics };
  device: { id: string; precision: string };
  budgetJ: number;
  devices: { id: string; energyJ: number; latencyMs: number }[];
  started: number;
}

/** Writes `model` to `out` and its card to `out` with `.json`; returns the card's path and the model file's sha256 and size. */
export async function writeVariant(out: string, model: Model, facts: VariantFacts): Promise<{ card: string; sha256: string; sizeBytes: number }> {
  writeOnnxFile(out, model);
  const bytes = readFileSync(out);
  const sha256 = sha256Hex(bytes);
  const card = `${out.replace(/\.onnx$/i, '')}.json`;
  await writeFileAtomic(card, `${JSON.stringify(cardOf(out, model, facts, sha256), null, 2)}\n`, { backup: false });
  return { card, sha256, sizeBytes: bytes.length };
}

function cardOf(out: string, model: Model, f: VariantFacts, sha256: string): ModelCard {
  const parentCard = cardBeside(f.original.file);
  const config = finetuneConfig(f.data, { ...f.recipe, seed: f.seed });
  const parentBytes = f.original.file ? readFileSync(f.original.file) : null;
  const { after, before } = f.metrics;
  return {
    schemaVersion: 1,
    name: path.basename(out, '.onnx'),
    title: `${f.original.name} pruned to ${(after.energyJ * 1e3).toPrecision(3)} mJ on ${f.device.id}`,
    architecture: parentCard?.architecture ?? f.original.name,
    dataset: f.data.label,
    split: f.data.test ? (f.data.unlabeled ? 'fine-tuned by distillation on unlabeled images; accuracy on the labelled test split' : "fine-tuned on the training split; accuracy on the test split") : 'fine-tuned by distillation on unlabeled images; no labelled test split',
    input: { shape: classifierShape(model).input, mean: [...f.data.normalize.mean], std: [...f.data.normalize.std] },
    classes: parentCard?.classes ?? [...(f.data.test ?? f.data.train).classes],
    macs: after.macs,
    params: after.params,
    training: {
      epochs: f.recipe.epochs,
      batchSize: config.batchSize,
      seed: f.seed,
      threads: f.recipe.threads,
      optimizer: { ...config.optimizer },
      schedule: { ...config.schedule },
      augment: null,
      minutes: Math.round((Date.now() - f.started) / 600) / 100,
      history: [],
    },
    testAccuracy: after.accuracy ?? 0,
    testLoss: after.loss ?? 0,
    testSamples: after.accuracy === null ? 0 : (f.data.test?.size ?? 0),
    sha256,
    producedBy: 'joule prune',
    compression: {
      parent: { name: f.original.name, sha256: parentBytes ? sha256Hex(parentBytes) : '', testAccuracy: before.accuracy },
      device: f.device.id,
      precision: f.device.precision,
      budgetJ: f.budgetJ,
      criterion: f.request.criterion,
      effort: f.request.effort ?? 'quick',
      seed: f.seed,
      energyJ: after.energyJ,
      originalEnergyJ: before.energyJ,
      latencyMs: after.latencyMs,
      devices: f.devices.map(({ id, energyJ, latencyMs }) => ({ id, energyJ, latencyMs })),
      finetune: {
        epochs: f.recipe.epochs,
        samples: f.recipe.samples || f.data.train.size,
        distillation: f.recipe.epochs > 0 ? { temperature: DISTILLATION.temperature, alpha: f.data.unlabeled ? 0 : DISTILLATION.labelledAlpha } : null,
      },
    },
  };
}
