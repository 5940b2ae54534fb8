/**
 * The shared fuzz runner. A target names its seeds, mutates one into a case and runs the code
 * under test; the runner decides whether the case ended well: a result that passes the target's
 * check, or a typed Joule error (`JouleError` and its subclasses) whose message is one sentence
 * on one line naming the file or field. A raw TypeError or RangeError, an untyped or multi-line
 * message, a case slower than the time limit or one that grows the heap past the memory limit is
 * a failure. Failures are grouped by a signature (kind, error name, message with numbers and
 * quoted values blanked) and the smallest input of each group is kept for the corpus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JouleError } from '../../src-main/common/errors';
import { FuzzRng } from './mutate';

export interface FuzzTarget<I> {
  name: string;
  /** Named seeds: real files or documents. */
  seeds(): Promise<{ name: string; input: I }[]>;
  /** A case from a seed; `donor` is another seed for splicing. */
  mutate(seed: I, rng: FuzzRng, donor: I): I;
  /** Runs the code under test; a returned string is a failed invariant. */
  run(input: I): Promise<string | void>;
  /** True when a typed error's message names the file or field at fault. */
  namesCulprit(message: string): boolean;
  /** Corpus files: an input as bytes, and back. */
  encode(input: I): Uint8Array;
  decode(bytes: Uint8Array): I;
  /** Corpus file extension, for whoever opens it by hand. */
  extension: string;
  /** Setup and teardown (a server, temp folders); `close` may also verify (nothing written outside). */
  open?(): Promise<void>;
  close?(): Promise<string | void>;
  /**
   * Failures already reported and left to another change (a limit on a count, say): matched on
   * the failure's signature, counted apart and not failing the run. Each says why.
   */
  known?: { pattern: RegExp; why: string }[];
}

export interface FuzzLimits {
  /** A case that takes longer fails (checked after it returns: synchronous code cannot be interrupted). */
  timeLimitMs: number;
  /** Heap + ArrayBuffer growth a case may leave behind, after a garbage collection. */
  memoryLimitMB: number;
}

export const defaultLimits: FuzzLimits = { timeLimitMs: 2000, memoryLimitMB: 256 };

export interface FuzzFailure {
  signature: string;
  kind: 'raw-error' | 'bad-message' | 'invariant' | 'slow' | 'memory';
  detail: string;
  seed: string;
  caseIndex: number;
  count: number;
  input: Uint8Array;
}

export interface FuzzStats {
  target: string;
  seed: number;
  cases: number;
  seeds: number;
  results: number;
  typedErrors: number;
  failures: FuzzFailure[];
  ms: number;
  slowestMs: number;
  peakGrowthMB: number;
  errorNames: Record<string, number>;
  /** Cases that hit a known, reported failure, by its reason. */
  known: Record<string, number>;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const usedMB = (): number => {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

/** One case's verdict: null when it ended well, else what went wrong. */
export async function judge<I>(target: FuzzTarget<I>, input: I, limits: FuzzLimits): Promise<{ outcome: 'result' | 'typed'; name?: string } | { kind: FuzzFailure['kind']; detail: string; name: string }> {
  const started = performance.now();
  let verdict: Awaited<ReturnType<typeof judge>>;
  try {
    const broken = await target.run(input);
    verdict = broken ? { kind: 'invariant', detail: broken, name: 'invariant' } : { outcome: 'result' };
  } catch (error) {
    verdict = judgeError(target, error);
  }
  const ms = performance.now() - started;
  if ('outcome' in verdict && ms > limits.timeLimitMs) return { kind: 'slow', detail: `took ${Math.round(ms)} ms`, name: 'slow' };
  return verdict;
}

function judgeError<I>(target: FuzzTarget<I>, error: unknown): { outcome: 'typed'; name: string } | { kind: FuzzFailure['kind']; detail: string; name: string } {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof JouleError)) return { kind: 'raw-error', detail: `${name}: ${message}`.slice(0, 300), name };
  if (/[\n\r]/.test(message) || /\bat \S+ \(|node:internal/.test(message)) return { kind: 'bad-message', detail: `${name} over several lines: ${message.slice(0, 200)}`, name };
  if (message.length > 2000) return { kind: 'bad-message', detail: `${name} of ${message.length} characters: ${message.slice(0, 200)}`, name };
  if (!/[.?!)]$/.test(message.trim())) return { kind: 'bad-message', detail: `${name} not a sentence: ${message.slice(0, 200)}`, name };
  if (!target.namesCulprit(message)) return { kind: 'bad-message', detail: `${name} names no file or field: ${message.slice(0, 200)}`, name };
  return { outcome: 'typed', name };
}

/** Numbers and quoted values blanked, so one bug found through many inputs is one finding. */
export function signatureOf(kind: string, name: string, detail: string): string {
  const shape = detail
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "'…'")
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, 'N')
    .slice(0, 140);
  return `${kind} ${name}: ${shape}`;
}

/**
 * Runs `cases` mutated cases of a target from a seed. Case i mutates seed i mod seeds (so every
 * seed gets used) with its own stream, `seed * 1_000_003 + i`: any case replays alone.
 */
export async function fuzz<I>(target: FuzzTarget<I>, options: { cases: number; seed: number; limits?: FuzzLimits; onCase?: (i: number) => void }): Promise<FuzzStats> {
  const limits = options.limits ?? defaultLimits;
  const seeds = await target.seeds();
  await target.open?.();
  const stats: FuzzStats = { target: target.name, seed: options.seed, cases: 0, seeds: seeds.length, results: 0, typedErrors: 0, failures: [], ms: 0, slowestMs: 0, peakGrowthMB: 0, errorNames: {}, known: {} };
  const bySignature = new Map<string, FuzzFailure>();
  const started = performance.now();
  gc();
  const baseline = usedMB();
  try {
    for (let i = 0; i < options.cases; i++) {
      const rng = new FuzzRng((options.seed * 1_000_003 + i) >>> 0);
      const seed = seeds[i % seeds.length];
      const donor = seeds[rng.int(seeds.length)].input;
      const input = target.mutate(seed.input, rng, donor);
      const caseStart = performance.now();
      const verdict = await judge(target, input, limits);
      stats.slowestMs = Math.max(stats.slowestMs, performance.now() - caseStart);
      stats.cases++;
      let failure: { kind: FuzzFailure['kind']; detail: string; name: string } | null = 'outcome' in verdict ? null : verdict;
      if ('outcome' in verdict) {
        if (verdict.outcome === 'result') stats.results++;
        else {
          stats.typedErrors++;
          stats.errorNames[verdict.name!] = (stats.errorNames[verdict.name!] ?? 0) + 1;
        }
      }
      let growth = usedMB() - baseline;
      if (growth > limits.memoryLimitMB) {
        gc();
        growth = usedMB() - baseline;
        if (growth > limits.memoryLimitMB) failure = { kind: 'memory', detail: `the heap grew ${Math.round(growth)} MB and stayed there`, name: 'memory' };
      }
      stats.peakGrowthMB = Math.max(stats.peakGrowthMB, growth);
      const found = failure;
      const knownAs = found && target.known?.find((k) => k.pattern.test(signatureOf(found.kind, found.name, found.detail)));
      if (failure && knownAs) {
        stats.known[knownAs.why] = (stats.known[knownAs.why] ?? 0) + 1;
        failure = null;
      }
      if (failure) {
        const signature = signatureOf(failure.kind, failure.name, failure.detail);
        const encoded = target.encode(input);
        const known = bySignature.get(signature);
        if (!known) bySignature.set(signature, { signature, kind: failure.kind, detail: failure.detail, seed: seed.name, caseIndex: i, count: 1, input: encoded });
        else {
          known.count++;
          if (encoded.length < known.input.length) Object.assign(known, { detail: failure.detail, seed: seed.name, caseIndex: i, input: encoded });
        }
      }
      options.onCase?.(i);
    }
  } finally {
    const leftOver = await target.close?.();
    if (leftOver) bySignature.set(`invariant close: ${leftOver}`, { signature: `invariant close: ${leftOver}`, kind: 'invariant', detail: leftOver, seed: '-', caseIndex: -1, count: 1, input: new Uint8Array() });
  }
  stats.failures = [...bySignature.values()];
  stats.ms = performance.now() - started;
  return stats;
}

export const corpusRoot = path.join(import.meta.dirname, 'corpus');

/** The regression cases of a target: every file under tests/fuzz/corpus/<target>/. */
export function corpusOf(target: string): { file: string; bytes: Uint8Array }[] {
  const dir = path.join(corpusRoot, target);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => !n.endsWith('.md')).sort();
  } catch {
    return [];
  }
  return names.map((n) => ({ file: n, bytes: new Uint8Array(readFileSync(path.join(dir, n))) }));
}

/** One line per failure group, for test messages and the script's report. */
export function describeFailures(stats: FuzzStats): string {
  return stats.failures.map((f) => `${f.signature} (x${f.count}; first: seed ${f.seed}, case ${f.caseIndex}; ${f.detail})`).join('\n');
}
