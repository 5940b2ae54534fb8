/**
 * Where JSON text first goes wrong, without quoting it. `JSON.parse`'s messages carry a snippet
 * of the text (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`), which would echo the
 * bytes of whatever file was opened; Joule names the file and this position instead.
 */

export interface TextPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
}

/**
 * The position of the first syntax error in `text`, or null when it is valid JSON.
 *
 * @example jsonErrorPosition('{"a": 1,\n  }') // { line: 2, column: 3 }
 */
export function jsonErrorPosition(text: string): TextPosition | null {
  const offset = firstErrorOffset(text);
  return offset === null ? null : positionOf(text, offset);
}

/** The sentence Joule shows for text that is not JSON: `settings.json is not valid JSON (line 2, column 3).` */
export function invalidJsonMessage(text: string, source: string): string {
  const at = jsonErrorPosition(text);
  if (!at) return `${source} is not valid JSON.`;
  if (text.trim() === '') return `${source} is empty, not JSON.`;
  return `${source} is not valid JSON (line ${at.line}, column ${at.column}).`;
}

function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const MAX_DEPTH = 1_000;

/** A small recursive-descent scanner of RFC 8259 JSON; returns where it first fails. */
function firstErrorOffset(text: string): number | null {
  let i = 0;
  const fail = (at: number): never => {
    throw new ScanError(at);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(i + k);
    i += word.length;
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail(i);
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail(i);
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) fail(i + k);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  const digits = () => {
    const start = i;
    while (i < text.length && text[i] >= '0' && text[i] <= '9') i++;
    if (i === start) fail(i);
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (depth: number): void => {
    // Deeper than any real project; also keeps the scanner's own stack bounded (10,000 levels
    // overflowed it under a test runner's deeper stack).
    if (depth > MAX_DEPTH) fail(i);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i);
        string();
        ws();
        if (text[i] !== ':') fail(i);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail(i);
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail(i);
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail(i);
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(i);
    return null;
  } catch (error) {
    if (error instanceof ScanError) return error.offset;
    throw error;
  }
}

class ScanError {
  constructor(readonly offset: number) {}
}
