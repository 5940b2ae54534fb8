/**
 * Seeded mutators for the fuzzers: bytes (flips, interesting values, truncation, splicing), text
 * (tokens that break number and CSV parsers) and JSON (field-level: huge, negative, NaN strings,
 * wrong types, deep nesting). Every choice comes from one `FuzzRng`, so a (seed, case) pair
 * replays the same input.
 */
import { mulberry32 } from '../../src-main/common/random';

export class FuzzRng {
  private readonly next01: () => number;
  constructor(seed: number) {
    this.next01 = mulberry32(seed);
  }
  next(): number {
    return this.next01();
  }
  /** Integer in 0..n-1. */
  int(n: number): number {
    return Math.floor(this.next01() * n);
  }
  chance(p: number): boolean {
    return this.next01() < p;
  }
  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)];
  }
}

const interestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x08, 0x0a, 0x12, 0x1a, 0x22, 0x3a];

/** One to four stacked byte-level mutations; `other` is a second seed for splicing. */
export function mutateBytes(input: Uint8Array, rng: FuzzRng, other?: Uint8Array): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(input);
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const at = bytes.length ? rng.int(bytes.length) : 0;
    switch (rng.int(8)) {
      case 0:
        if (bytes.length) bytes[at] ^= 1 << rng.int(8);
        break;
      case 1:
        if (bytes.length) bytes[at] = rng.pick(interestingBytes);
        break;
      case 2: // truncation
        bytes = bytes.slice(0, at);
        break;
      case 3: {
        // delete a range
        const len = 1 + rng.int(Math.min(64, Math.max(1, bytes.length - at)));
        bytes = concat(bytes.slice(0, at), bytes.slice(at + len));
        break;
      }
      case 4: {
        // insert random bytes
        const ins = Uint8Array.from({ length: 1 + rng.int(16) }, () => (rng.chance(0.5) ? rng.pick(interestingBytes) : rng.int(256)));
        bytes = concat(bytes.slice(0, at), ins, bytes.slice(at));
        break;
      }
      case 5: {
        // duplicate a range
        const len = 1 + rng.int(Math.min(256, Math.max(1, bytes.length - at)));
        bytes = concat(bytes.slice(0, at + len), bytes.slice(at, at + len), bytes.slice(at + len));
        break;
      }
      case 6: {
        // splice with another seed
        const donor = other ?? input;
        const from = donor.length ? rng.int(donor.length) : 0;
        bytes = concat(bytes.slice(0, at), donor.slice(from, from + 1 + rng.int(512)));
        break;
      }
      default: {
        // a varint-looking run: protobuf lengths and int64s read as huge
        const run = Uint8Array.from({ length: 1 + rng.int(10) }, (_, i, ) => (i < 9 ? 0x80 | rng.int(128) : rng.int(2)));
        bytes = concat(bytes.slice(0, at), run, bytes.slice(at + run.length));
      }
    }
  }
  return bytes;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Tokens that number, CSV and path parsers get wrong. */
export const nastyTokens = [
  '-1', '0', '-0', '1e309', '-1e309', 'NaN', 'Infinity', '-Infinity', '1e15', '1e9', '9007199254740993', '0x10', '1_000', '.5', '5.', '',
  '9'.repeat(400), '\0', '"', '""', ',', ';', '\n', '\r\n', '\r', '\t', ' ', '\u202e', '\u00a0', '\ufeff', '\ud800', '%', '%00', '\\', '../', '{', '}', '[', ']',
  'null', 'true', '__proto__', 'constructor', 'é', '💥', 'x'.repeat(5000),
];

/** Text-level mutations: tokens, deletions, line swaps, truncation, splicing. */
export function mutateText(input: string, rng: FuzzRng, other?: string): string {
  let text = input;
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const at = rng.int(text.length + 1);
    switch (rng.int(7)) {
      case 0:
        text = text.slice(0, at) + rng.pick(nastyTokens) + text.slice(at + rng.int(4));
        break;
      case 1:
        text = text.slice(0, at) + text.slice(at + 1 + rng.int(32));
        break;
      case 2:
        text = text.slice(0, at);
        break;
      case 3: {
        const lines = text.split('\n');
        const i = rng.int(lines.length);
        const j = rng.int(lines.length);
        if (rng.chance(0.5)) [lines[i], lines[j]] = [lines[j], lines[i]];
        else lines.splice(i, 0, ...Array.from({ length: 1 + rng.int(20) }, () => lines[j]));
        text = lines.join('\n');
        break;
      }
      case 4: {
        const donor = other ?? input;
        const from = rng.int(donor.length + 1);
        text = text.slice(0, at) + donor.slice(from, from + rng.int(400));
        break;
      }
      case 5:
        // a number changes sign, size or form
        text = text.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, (m) => (rng.chance(0.08) ? rng.pick(['-' + m, m + '000000000', '1e308', 'NaN', '0', '-0', m + '.5', '']) : m));
        break;
      default:
        text = text.slice(0, at) + String.fromCharCode(rng.int(0x3000)) + text.slice(at + 1);
    }
  }
  return text;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values a field-level JSON mutation writes into a document. */
function nastyValue(rng: FuzzRng, old: Json, donor: Json): Json {
  switch (rng.int(16)) {
    case 0: return rng.pick([1e308, 1e15, 1e9, 2 ** 31, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e-320]);
    case 1: return typeof old === 'number' ? -old || -1 : -1;
    case 2: return rng.pick(['NaN', 'Infinity', '-Infinity', '1e309', '']);
    case 3: return 0;
    case 4: return typeof old === 'number' ? old + 0.5 : 0.5;
    case 5: return null;
    case 6: return rng.pick([true, false]);
    case 7: return typeof old === 'string' ? old + rng.pick(nastyTokens) : String(old);
    case 8: return [];
    case 9: return {};
    case 10: return `${DEEP}${rng.pick([10, 100, 1000, 100_000])}${rng.pick(['[', '{'])}`;
    case 11: return 'x'.repeat(rng.pick([1, 300, 100_000]));
    case 12: return Array.isArray(old) ? [...old, ...old, ...old] : [old];
    case 13: return typeof old === 'number' ? String(old) : Number(old) || 7;
    case 14: return donor;
    default: return rng.pick(['../../../../etc/passwd', '/etc/passwd', '\u001b[31mred', 'a\nb', '💥', '__proto__']);
  }
}

/**
 * Deep nesting is written into the text after serialising (a nested value would overflow
 * JSON.stringify's stack before the reader ever saw it): `stringifyCase` expands the marker.
 */
const DEEP = '\u0001deep:';

/** JSON text of a mutated document, deep-nesting markers expanded. */
export function stringifyCase(doc: Json, indent?: number): string {
  const text = JSON.stringify(doc, null, indent) ?? 'null';
  return text.replace(/"\\u0001deep:(\d+)([[{])"/g, (_, n: string, open: string) => {
    const depth = Number(n);
    return open === '[' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  });
}

/** Every (container, key) in the document, so one can be picked uniformly. */
function slots(root: Json): [Json[] | Record<string, Json>, string | number][] {
  const out: [Json[] | Record<string, Json>, string | number][] = [];
  const stack: Json[] = [root];
  while (stack.length && out.length < 50_000) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        out.push([v, i]);
        stack.push(c);
      });
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push([v, k]);
        stack.push(v[k]);
      }
    }
  }
  return out;
}

/** One to three field-level mutations of a parsed JSON document (mutated in place and returned). */
export function mutateJson(doc: Json, rng: FuzzRng): Json {
  let root = doc;
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const all = slots(root);
    if (all.length === 0) {
      root = nastyValue(rng, root, root);
      continue;
    }
    const [container, key] = rng.pick(all);
    const old = (container as Record<string, Json>)[key];
    const [donorIn, donorKey] = rng.pick(all);
    const donor = Object.hasOwn(donorIn, donorKey) ? (donorIn as Record<string, Json>)[donorKey] : null;
    const op = rng.int(10);
    if (op < 6) (container as Record<string, Json>)[key] = nastyValue(rng, old, structuredClone(donor));
    else if (op === 6) {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key];
    } else if (op === 7) {
      if (Array.isArray(container)) container.splice(key as number, 0, ...Array.from({ length: rng.pick([1, 2, 50]) }, () => structuredClone(old)));
      else container[rng.pick(['extra', '__proto__', 'constructor', `${String(key)}2`])] = structuredClone(old);
    } else if (op === 8) {
      // a number field gets an adjacent boundary
      if (typeof old === 'number') (container as Record<string, Json>)[key] = rng.pick([old * 1e6, old - 1, Math.floor(old / 2), -old, old * 1e300]);
    } else {
      if (Array.isArray(old)) old.length = rng.int(old.length + 1);
      else (container as Record<string, Json>)[key] = [old];
    }
  }
  return root;
}
