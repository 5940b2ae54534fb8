import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../src-main/core/train/data/errors';
import { scanByteArrays } from '../../../../src-main/core/train/data/json-scan';

const scan = (text: string, width = 3) => scanByteArrays(Buffer.from(text), 'f.json', width);

function scanError(text: string, width = 3): string {
  try {
    scan(text, width);
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as Error).message.replace(`Data file 'f.json' is not in the form {"data": [[0..255, ...], ...]}: `, '');
  }
  throw new Error('expected a DatasetError');
}

describe('scanByteArrays', () => {
  it('reads entries of bytes, empty and short ones included, whatever the whitespace', () => {
    const result = scan(' {\n "data" : [ [1, 2,255] ,[],\r\n\t[0 , 7] ] }\n');
    expect(result.count).toBe(3);
    expect(Array.from(result.lengths)).toEqual([3, 0, 2]);
    expect(Array.from(result.values)).toEqual([1, 2, 255, 0, 0, 0, 0, 7, 0]);
    expect(scan('{"data":[]}').count).toBe(0);
  });

  it('agrees with JSON.parse on many entries (past its first allocation)', () => {
    const entries = Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? [] : [i % 256, (i * 3) % 256]));
    const result = scan(JSON.stringify({ data: entries }), 2);
    expect(result.count).toBe(500);
    entries.forEach((e, i) => {
      expect(result.lengths[i]).toBe(e.length);
      expect(Array.from(result.values.subarray(2 * i, 2 * i + e.length))).toEqual(e);
    });
  });

  it.each([
    ['{"data":[[256]]}', 'entry 0 value 0 is not an integer 0..255 at byte 10.'],
    ['{"data":[[1,-2]]}', 'entry 0 value 1 is not an integer 0..255 at byte 12.'],
    ['{"data":[[1.5]]}', "expected ',' or ']' in entry 0 at byte 11."],
    ['{"data":[[0001]]}', 'entry 0 value 0 is not an integer 0..255 at byte 10.'],
    ['{"data":[[1,2,3,4]]}', 'entry 0 has more than 3 values at byte 16.'],
    ['{"data":[[1]]} x', 'unexpected content after the data at byte 14.'],
    ['{"other":[]}', 'expected the key "data" at byte 2.'],
    ['[]', "expected '{' at byte 0."],
    ['{"data":[[1],]}', "expected '[' opening an entry at byte 13."],
  ])('rejects %s', (text, message) => {
    expect(scanError(text)).toBe(message);
  });
});
