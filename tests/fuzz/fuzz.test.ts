/**
 * Fuzzing in CI (issue 14): 3,000 seeded cases per target, each ending in a result or a typed
 * Joule error with a one-line message naming the file or field, within 2 s and with bounded heap
 * growth; then every regression case under tests/fuzz/corpus/<target>/ replayed. A longer run:
 * `node --import tsx scripts/fuzz.ts --target onnx --cases 50000 --seed 7`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusOf, defaultLimits, describeFailures, fuzz, judge, signatureOf } from './runner';
import { fuzzTargets } from './targets';

const CI_CASES = 3000;
const CI_SEED = 20261206;

describe.each(Object.entries(fuzzTargets))('fuzzing %s', (name, target) => {
  it(`ends ${CI_CASES} mutated cases in a result or a typed one-line error`, async () => {
    const stats = await fuzz(target, { cases: CI_CASES, seed: CI_SEED });
    expect(stats.cases).toBe(CI_CASES);
    expect(describeFailures(stats)).toBe('');
  }, 90_000);

  const corpus = corpusOf(name);
  if (corpus.length === 0) return;
  describe('regression corpus', () => {
    beforeAll(() => target.open?.());
    afterAll(async () => {
      expect(await target.close?.()).toBeFalsy();
    });
    it.each(corpus)('$file', async ({ bytes }) => {
      const verdict = await judge(target, target.decode(bytes), defaultLimits);
      if ('outcome' in verdict) return;
      const signature = signatureOf(verdict.kind, verdict.name, verdict.detail);
      // A known failure (waiting for a limit) may still fail this way, but no other way.
      expect(target.known?.some((k) => k.pattern.test(signature)) ? '' : signature).toBe('');
    });
  });
});
