import { describe, expect, it } from 'vitest';
import { invalidJsonMessage, jsonErrorPosition } from '../../src-main/common/json-position';
import { printable } from '../../src-main/common/printable';
import { serializeError, JouleError } from '../../src-main/common/errors';

describe('jsonErrorPosition', () => {
  it('is null for valid JSON, as JSON.parse agrees', () => {
    for (const text of ['{}', '[1, -2.5e3, "a\\n\\u00e9", true, false, null]', ' {"a": {"b": []}} ', '0']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonErrorPosition(text)).toBeNull();
    }
  });

  it('points at the first error where JSON.parse fails', () => {
    const cases: [string, number, number][] = [
      ['root:x:0:0:root:/root:/bin/bash', 1, 1],
      ['{"a": 1,\n  }', 2, 3],
      ['{"a": 1} x', 1, 10],
      ['{"a": "b', 1, 9],
      ['[1, 2', 1, 6],
      ['\ufeff{}', 1, 1],
      ['{"a": 01}', 1, 8],
    ];
    for (const [text, line, column] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonErrorPosition(text), text).toEqual({ line, column });
    }
  });

  it('says where, never what', () => {
    expect(invalidJsonMessage('root:x:0:0:secret', 'shadow')).toBe('shadow is not valid JSON (line 1, column 1).');
    expect(invalidJsonMessage('  \n', 'empty.joule')).toBe('empty.joule is empty, not JSON.');
  });
});

describe('printable', () => {
  it('removes terminal escape sequences and writes other control characters out', () => {
    expect(printable('a\u001b[31mred\u001b[0m')).toBe('ared');
    expect(printable('title\u001b]0;pwned\u0007.')).toBe('title.');
    expect(printable('bell\u0007 nul\u0000 csi\u009b2J')).toBe('bell\\u{7} nul\\u{0} csi');
    expect(printable('line\nnext\ttab')).toBe('line\nnext\ttab');
    expect(printable('abc\u202edcba')).toBe('abc\\u{202e}dcba');
  });

  it('applies to every error that crosses a boundary', () => {
    expect(serializeError(new JouleError('Cannot open x\u001b[2J.joule.')).message).toBe('Cannot open x.joule.');
    expect(serializeError(new Error('\u001b[31mred')).message).toBe('red');
  });
});
