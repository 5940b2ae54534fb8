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
