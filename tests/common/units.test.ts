import { describe, expect, it } from 'vitest';
import { formatQuantity, parseLocaleNumber } from '../../src-main/common/units';

describe('units', () => {
  it.each([
    [1234.5, 'Wh', 'en-US', '1,234.5\u00a0Wh'],
    [1234.5, 'Wh', 'de-DE', '1.234,5\u00a0Wh'],
    [0.125, 'J', 'zh-CN', '0.13\u00a0J'],
    [25.6, 'GB/s', 'en', '25.6\u00a0GB/s'],
  ] as const)('formats %s %s in %s', (value, unit, locale, expected) => {
    expect(formatQuantity(value, unit, locale)).toBe(expected);
  });

  it.each([
    ['1,500', 'en-US', 1500],
    ['1.5', 'en-US', 1.5],
    ['1,5', 'de-DE', 1.5],
    ['1.500', 'de-DE', 1500],
    [' 42 ', 'zh-CN', 42],
    ['4GB', 'en-US', null],
    ['', 'en-US', null],
    ['1e3', 'en-US', 1000],
  ] as const)('reads %j in %s as %s', (text, locale, expected) => {
    expect(parseLocaleNumber(text, locale)).toBe(expected);
  });
});
