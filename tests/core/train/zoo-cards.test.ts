/** Every shipped trained model reproduces its card: same bytes, same test accuracy, target met. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../../../src-main/common/validation';
import { evaluate } from '../../../src-main/jobs/tasks/evaluate';
import { testContext } from '../../jobs/context';
import { modelCardSchema } from '../../../src-main/core/zoo/small/card';
import { shippedModelFile } from '../../../src-main/core/zoo/resolve';
import { smallZoo, smallZooNames } from '../../../src-main/core/zoo/small/registry';

const modelsDir = path.resolve(import.meta.dirname, '../../../resources/models');
const shipped = smallZooNames.filter((name) => shippedModelFile(modelsDir, name));

describe('shipped small-zoo models', () => {
  it('include LeNet-5 at least', () => {
    expect(shipped).toContain('lenet5');
  });

  it.each(shipped)('%s matches its card and meets its accuracy target', async (name) => {
    const file = path.join(modelsDir, `${name}.onnx`);
    const parsed = parseWith(modelCardSchema, JSON.parse(readFileSync(path.join(modelsDir, `${name}.json`), 'utf8')));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const card = parsed.value;
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(card.sha256);
    const result = await evaluate({ model: `zoo:${name}`, dataset: 'fashion-mnist', threads: 2 }, testContext());
    expect(result.samples).toBe(card.testSamples);
    expect(result.accuracy).toBeCloseTo(card.testAccuracy, 6);
    expect(result.accuracy).toBeGreaterThanOrEqual(smallZoo[name].targetAccuracy);
  }, 180_000);
});
