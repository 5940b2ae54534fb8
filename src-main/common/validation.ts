/**
 * Turns zod issues into the sentences Joule shows: a JSON path and what was wrong with the
 * value found there, e.g. `devices[3].ramMB: expected a positive number, got "4GB"`.
 * Pure TypeScript: used by the services, the CLI and the renderer's inline validation.
 */
import type { z } from 'zod';
import { printable } from './printable';

export interface ValidationProblem {
  /** JSON path in JavaScript notation, `devices[3].ramMB`; empty for the document root. */
  path: string;
  /** What is wrong, as a sentence fragment that reads after the path. */
  message: string;
}

/** `['devices', 3, 'ramMB']` -> `devices[3].ramMB`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += clipQuoted(`[${JSON.stringify(String(key))}]`);
  }
  return out;
}

// A quoted value (an id, a key, a name) longer than this is cut: messages never carry a file's contents.
const LONG_QUOTED = /"(?:[^"\\]|\\.){41,}"|'[^'\n]{41,}'/g;

/**
 * `text` with every quoted run over 40 characters cut to its first 37 and `...` and line breaks
 * written as `\n`, so a message that quotes an id or a key from a file stays one short line
 * whatever the file holds.
 *
 * @example clipQuoted(`refers to site "${'x'.repeat(100)}"`) // 'refers to site "xxx…x..."' (37 x)
 */
export function clipQuoted(text: string): string {
  // A line break quoted from a file would split the sentence: written as an escape instead.
  return text.replace(LONG_QUOTED, (q) => `${q.slice(0, 38)}...${q[0]}`).replace(/\r?\n|\r/g, (b) => (b === '\r' ? '\\r' : '\\n'));
}

/** A short, quoted rendering of a bad value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return printable(JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'an object';
}

const typeNames: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  nan: 'a number',
};

/** Error map passed to every `safeParse` whose result a person reads. */
export const sentenceErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type': {
      const expected = typeNames[iss.expected] ?? iss.expected;
      if (iss.input === undefined) return `is missing (expected ${expected})`;
      return `expected ${expected}, got ${describeValue(iss.input)}`;
    }
    case 'too_small': {
      if (iss.origin === 'number' || iss.origin === 'int') {
        const bound = iss.inclusive ? `at least ${iss.minimum}` : iss.minimum === 0 ? 'a positive number' : `above ${iss.minimum}`;
        return `expected ${bound.startsWith('a ') ? bound : `a number ${bound}`}, got ${describeValue(iss.input)}`;
      }
      const unit = iss.origin === 'string' ? 'characters' : 'items';
      return `needs at least ${iss.minimum} ${unit}`;
    }
    case 'too_big': {
      if (iss.origin === 'number' || iss.origin === 'int') {
        return `expected a number ${iss.inclusive ? 'at most' : 'below'} ${iss.maximum}, got ${describeValue(iss.input)}`;
      }
      const unit = iss.origin === 'string' ? 'characters' : 'items';
      return `allows at most ${iss.maximum} ${unit}`;
    }
    case 'invalid_value':
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(iss.input)}`;
    case 'invalid_format':
      return `expected ${iss.format === 'regex' ? 'a value of the right form' : `a valid ${iss.format}`}, got ${describeValue(iss.input)}`;
    case 'unrecognized_keys':
      return clipQuoted(`has unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `'${k}'`).join(', ')}`);
    case 'invalid_union':
      return `does not match any accepted form, got ${describeValue(iss.input)}`;
    default:
      return iss.message ?? 'is not valid';
  }
};

/** Flattens a zod error into problems, one per issue, in document order. */
export function problemsFromZod(error: z.ZodError): ValidationProblem[] {
  // Custom refinements quote ids and names from the document as they are.
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: clipQuoted(issue.message) }));
}

/** Parses with sentence messages; returns the value or the list of problems. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  data: unknown,
): { ok: true; value: z.output<T> } | { ok: false; problems: ValidationProblem[] } {
  const result = schema.safeParse(data, { error: sentenceErrorMap });
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsFromZod(result.error) };
}

/** `devices[3].ramMB: expected ...`; the root problem has no path prefix. */
export function problemToSentence(p: ValidationProblem): string {
  return clipQuoted(p.path ? `${p.path}: ${p.message}` : p.message);
}
