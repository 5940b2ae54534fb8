import { describe, expect, it } from 'vitest';
import { formatEnergy, formatQuantity, formatSI, parseLocaleNumber } from '../../src-main/common/units';

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

  it.each([
    [8.947e9, 'MAC/s', 'en-US', undefined, '8.9\u00a0GMAC/s'],
    [4e9, 'MAC/s', 'en-US', undefined, '4.0\u00a0GMAC/s'],
    [3.04e5, 'J', 'en-US', undefined, '304\u00a0kJ'],
    [207_123, 'J', 'en-US', 5, '207.12\u00a0kJ'],
    [0.0042, 'J', 'zh-CN', undefined, '4.2\u00a0mJ'],
    [0, 'J', 'en-US', undefined, '0\u00a0J'],
    [1.5e6, 'J', 'de-DE', undefined, '1,5\u00a0MJ'],
  ] as const)('scales %s %s by an SI prefix in %s', (value, unit, locale, significant, expected) => {
    expect(formatSI(value, unit, locale, significant)).toBe(expected);
  });

  it('gives an energy in J and in Wh', () => {
    expect(formatEnergy(3.04e5, 'en-US')).toBe('304\u00a0kJ (84.4\u00a0Wh)');
  });
});
