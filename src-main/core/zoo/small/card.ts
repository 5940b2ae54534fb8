/**
 * Model cards: what a shipped model is, how it was trained and how well it does, beside its
 * ONNX file (`resources/models/<name>.onnx` + `<name>.json`). `joule eval` reads the input
 * normalization from the card, and the tests check each card's accuracy against the file.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parseWith } from '../../../common/validation';
import { readRegularFileSync } from '../../io/regular-file';

export const modelCardSchema = z.strictObject({
  schemaVersion: z.literal(1),
  name: z.string(),
  title: z.string(),
  architecture: z.string(),
  dataset: z.string(),
  /** How the dataset was split (package order, counts). */
  split: z.string(),
  input: z.strictObject({ shape: z.array(z.union([z.number(), z.string()])), mean: z.array(z.number()), std: z.array(z.number()) }),
  classes: z.array(z.string()),
  macs: z.number(),
  params: z.number(),
  training: z.strictObject({
    epochs: z.number(),
    batchSize: z.number(),
    seed: z.number(),
    threads: z.number(),
    optimizer: z.record(z.string(), z.unknown()),
    schedule: z.record(z.string(), z.unknown()),
    augment: z.record(z.string(), z.unknown()).nullable(),
    minutes: z.number(),
    history: z.array(z.record(z.string(), z.number().nullable())),
  }),
  testAccuracy: z.number(),
  testLoss: z.number(),
  testSamples: z.number(),
  sha256: z.string(),
  producedBy: z.string(),
  /** Set on a model Joule compressed from another (`joule prune`, the energy-budget wizard). */
  compression: z
    .strictObject({
      parent: z.strictObject({ name: z.string(), sha256: z.string(), testAccuracy: z.number().nullable() }),
      device: z.string(),
      precision: z.string(),
      budgetJ: z.number(),
      criterion: z.string(),
      effort: z.string(),
      seed: z.number(),
      energyJ: z.number(),
      originalEnergyJ: z.number(),
      latencyMs: z.number(),
      /** Energy and latency on every library device type. */
      devices: z.array(z.strictObject({ id: z.string(), energyJ: z.number(), latencyMs: z.number() })),
      finetune: z.strictObject({ epochs: z.number(), samples: z.number(), distillation: z.strictObject({ temperature: z.number(), alpha: z.number() }).nullable() }),
    })
    .optional(),
});
export type ModelCard = z.infer<typeof modelCardSchema>;

/** The card beside a model file (`x.onnx` -> `x.json`), when there is a valid one. */
export function cardBeside(file: string | null): ModelCard | null {
  if (!file) return null;
  const cardFile = file.replace(/\.onnx$/i, '.json');
  if (cardFile === file || !existsSync(cardFile)) return null;
  try {
    const parsed = parseWith(modelCardSchema, JSON.parse(readRegularFileSync(cardFile, 'card').toString('utf8')));
    return parsed.ok ? parsed.value : null;
  } catch {
    return null;
  }
}
