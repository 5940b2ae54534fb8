/**
 * Quantities with units, formatted for the reader's locale. SI symbols (W, Wh, J, MB, Mbps) are
 * the same in every language Joule ships, so only the number formatting changes.
 *
 * @example formatQuantity(1234.5, 'Wh', 'en-US') // '1,234.5 Wh'
 * @example formatQuantity(1234.5, 'Wh', 'de-DE') // '1.234,5 Wh'
 */
export const units = ['W', 'Wh', 'Wh/day', 'J', 'mJ', 'MB', 'GB', 'Mbps', 'ms', 'TOPS', 'GB/s'] as const;
export type Unit = (typeof units)[number];

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `${locale}|${maximumFractionDigits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits });
    formatters.set(key, f);
  }
  return f;
}

/** A number for display: up to `digits` decimals (default 2 below 100, 1 below 10,000, else 0). */
export function formatNumber(value: number, locale: string, digits?: number): string {
  if (!Number.isFinite(value)) return '—';
  const auto = Math.abs(value) < 100 ? 2 : Math.abs(value) < 10_000 ? 1 : 0;
  return formatter(locale, digits ?? auto).format(value);
}

export function formatQuantity(value: number, unit: Unit, locale: string, digits?: number): string {
  return `${formatNumber(value, locale, digits)}\u00a0${unit}`;
}

/**
 * Reads a number typed in the window in the reader's locale ("1,5" in de-DE, "1,500" in en-US);
 * returns null when the text is not a number, so the caller can keep the text and show why.
 */
export function parseLocaleNumber(text: string, locale: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const normalized = trimmed.split(group).join('').replace(/\s/g, '').replace(decimal, '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normalized)) return null;
  const value = Number(normalized);
  return Number.isFinite(value) ? value : null;
}

const siPrefixes: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
];

/**
 * A quantity scaled by an SI prefix so that its number reads between 1 and 1000, with
 * `significant` significant digits (at least one decimal below 10, so 4 GMAC/s reads "4.0").
 * `unit` is the base unit (`MAC/s`, `J`, `Wh`, `b/s`).
 *
 * @example formatSI(8.947e9, 'MAC/s', 'en-US') // '8.9 GMAC/s'
 * @example formatSI(3.04e5, 'J', 'en-US') // '304 kJ'
 * @example formatSI(207_123, 'J', 'en-US', 5) // '207.12 kJ'
 */
export function formatSI(value: number, unit: string, locale: string, significant = 2): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const [scale, prefix] = abs === 0 ? [1, ''] : (siPrefixes.find(([s]) => abs >= s * (1 - 5e-4)) ?? siPrefixes[siPrefixes.length - 1]);
  const scaled = value / scale;
  const whole = Math.max(1, Math.floor(Math.log10(Math.max(1, Math.abs(scaled)))) + 1);
  const decimals = Math.max(Math.abs(scaled) < 10 && abs !== 0 ? 1 : 0, significant - whole);
  const text = new Intl.NumberFormat(locale, { minimumFractionDigits: abs === 0 ? 0 : Math.min(decimals, 1), maximumFractionDigits: decimals }).format(scaled);
  return `${text}\u00a0${prefix}${unit}`;
}

/**
 * An energy in J with an SI prefix and, beside it, in Wh (what battery and solar figures use).
 *
 * @example formatEnergy(3.04e5, 'en-US') // '304 kJ (84.4 Wh)'
 */
export function formatEnergy(joules: number, locale: string, significant = 3): string {
  return `${formatSI(joules, 'J', locale, significant)} (${formatSI(joules / 3600, 'Wh', locale, significant)})`;
}
