/** The fuzz runner's judge: what counts as a pass and what as each kind of failure. */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, ProjectFileError } from '../../src-main/common/errors';
import { FuzzRng, mutateBytes, mutateJson, mutateText, stringifyCase } from './mutate';
import { fuzz, judge, type FuzzTarget } from './runner';

function target(run: (input: string) => Promise<string | void>): FuzzTarget<string> {
  return {
    name: 'self-test',
    extension: 'txt',
    seeds: async () => [{ name: 'a', input: 'a' }],
    mutate: (seed) => seed,
    run,
    namesCulprit: (message) => message.includes('x.joule'),
    encode: (s) => new TextEncoder().encode(s),
    decode: (b) => new TextDecoder().decode(b),
  };
}
const limits = { timeLimitMs: 50, memoryLimitMB: 64 };

describe('the fuzz judge', () => {
  it('passes a result and a typed one-line error naming the file', async () => {
    expect(await judge(target(async () => {}), '', limits)).toEqual({ outcome: 'result' });
    expect(await judge(target(async () => { throw new ProjectFileError('x.joule is not valid JSON (line 1, column 2).'); }), '', limits)).toEqual({ outcome: 'typed', name: 'ProjectFileError' });
  });

  it('fails a raw error, a message over two lines, one naming nothing, a broken invariant and a slow case', async () => {
    const kinds = await Promise.all([
      judge(target(async () => { throw new TypeError('x is undefined'); }), '', limits),
      judge(target(async () => { throw new InvalidRequestError('x.joule: bad\nvalue.'); }), '', limits),
      judge(target(async () => { throw new InvalidRequestError('Something is wrong.'); }), '', limits),
      judge(target(async () => 'the result does not validate'), '', limits),
      judge(target(() => new Promise((resolve) => setTimeout(resolve, 120))), '', limits),
    ]);
    expect(kinds.map((k) => ('kind' in k ? k.kind : k.outcome))).toEqual(['raw-error', 'bad-message', 'bad-message', 'invariant', 'slow']);
  });

  it('fails a case that keeps more heap than the limit, and groups failures by signature', async () => {
    const kept: Uint8Array[] = [];
    const leaky = target(async () => {
      kept.push(new Uint8Array(40 * 2 ** 20).fill(1));
    });
    const stats = await fuzz(leaky, { cases: 4, seed: 1, limits });
    expect(stats.failures.map((f) => f.kind)).toEqual(['memory']);
    expect(stats.failures[0].count).toBeGreaterThanOrEqual(1);
    kept.length = 0;
  });

  it('counts a known failure apart instead of failing the run', async () => {
    const t = { ...target(async () => { throw new RangeError('Invalid typed array length: 1e+308'); }), known: [{ pattern: /Invalid typed array length/, why: 'needs a limit' }] };
    const stats = await fuzz(t, { cases: 3, seed: 1, limits });
    expect(stats.failures).toEqual([]);
    expect(stats.known).toEqual({ 'needs a limit': 3 });
  });
});

describe('the mutators', () => {
  it('replay the same case from the same seed', () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);
    expect(mutateBytes(bytes, new FuzzRng(5))).toEqual(mutateBytes(bytes, new FuzzRng(5)));
    expect(mutateText('a,b\n1,2', new FuzzRng(9))).toBe(mutateText('a,b\n1,2', new FuzzRng(9)));
    const doc = () => ({ a: [1, 2, { b: 'c' }], d: 4 });
    expect(stringifyCase(mutateJson(doc(), new FuzzRng(3)))).toBe(stringifyCase(mutateJson(doc(), new FuzzRng(3))));
  });

  it('write deep nesting into the text, not the document', () => {
    const text = stringifyCase({ a: '\u0001deep:3[' });
    expect(text).toBe('{"a":[[[1]]]}');
  });
});
