/**
 * Turns a MODEL argument into a model: a path to an `.onnx` file, or `zoo:NAME` for a zoo
 * architecture. What `zoo:NAME` means depends on the purpose: analysis needs shapes only;
 * training starts from fresh seeded weights; evaluation uses the trained model shipped in
 * resources/models when the small zoo has one.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { JouleError } from '../../common/errors';
import type { Model } from '../onnx/ir';
import { readOnnxFile } from '../onnx/read';
import { isZooName, zoo, zooNames } from './registry';
import { initializeWeights } from './small/init';
import { isSmallZooName, smallZoo, smallZooNames } from './small/registry';

export type ModelPurpose = 'analyze' | 'train' | 'evaluate';

export interface ResolvedModel {
  model: Model;
  /** Display name: the file's base name or the zoo name. */
  name: string;
  /** The file the model came from, when it came from one. */
  file: string | null;
}

export interface ResolveOptions {
  purpose: ModelPurpose;
  /** Folder of shipped trained models (resources/models). */
  modelsDir: string;
  /** Seed of fresh weights when training a zoo architecture from scratch. */
  seed?: number;
}

export const ZOO_PREFIX = 'zoo:';

export function allZooNames(): string[] {
  return [...zooNames, ...smallZooNames];
}

/** The shipped trained file of a small-zoo model, if it exists. */
export function shippedModelFile(modelsDir: string, name: string): string | null {
  const file = path.join(modelsDir, `${name}.onnx`);
  return existsSync(file) ? file : null;
}

export function resolveModel(spec: string, options: ResolveOptions): ResolvedModel {
  if (!spec.startsWith(ZOO_PREFIX)) {
    const file = path.resolve(spec);
    // `joule energy resnet50`: a missing file named like a zoo model is most likely that model.
    const stem = path.basename(spec, path.extname(spec));
    if (!existsSync(file) && allZooNames().includes(stem)) throw new JouleError(`There is no file ${file}; for the zoo's ${stem}, write zoo:${stem}.`);
    const model = readOnnxFile(file, { weights: options.purpose === 'analyze' ? 'skip' : 'load' });
    return { model, name: path.basename(file, path.extname(file)), file };
  }
  const name = spec.slice(ZOO_PREFIX.length);
  if (isSmallZooName(name)) {
    const shipped = shippedModelFile(options.modelsDir, name);
    if (options.purpose === 'evaluate') {
      if (!shipped) throw new JouleError(`The trained ${name} model is missing from ${options.modelsDir}; run "npm run train:zoo -- ${name}".`);
      return { model: readOnnxFile(shipped), name, file: shipped };
    }
    const built = smallZoo[name].build();
    return { model: options.purpose === 'train' ? initializeWeights(built, options.seed ?? 1) : built, name, file: null };
  }
  if (isZooName(name)) {
    if (options.purpose !== 'analyze') {
      throw new JouleError(`zoo:${name} is an ImageNet architecture without trained weights; Joule trains and evaluates the small zoo (${smallZooNames.join(', ')}).`);
    }
    return { model: zoo[name].build(), name, file: null };
  }
  throw new JouleError(`Unknown zoo model "${name}"; the zoo has ${allZooNames().join(', ')}.`);
}
