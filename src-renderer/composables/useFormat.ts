/** Locale-aware formatting of numbers with units and of durations, for templates. */
import { useI18n } from 'vue-i18n';
import { formatNumber, formatQuantity, type Unit } from '../../src-main/common/units';

export function useFormat() {
  const { locale } = useI18n();
  return {
    number: (value: number, digits?: number) => formatNumber(value, locale.value, digits),
    quantity: (value: number, unit: Unit, digits?: number) => formatQuantity(value, unit, locale.value, digits),
    bytes: (bytes: number) =>
      bytes >= 1e9 ? formatQuantity(bytes / 1e9, 'GB', locale.value) : formatQuantity(bytes / 1e6, 'MB', locale.value, bytes < 1e5 ? 3 : 2),
    duration: (ms: number) => {
      const s = Math.max(0, Math.round(ms / 1000));
      const [value, unit] = s < 90 ? [s, 'second'] : s < 5400 ? [Math.round(s / 60), 'minute'] : [Math.round(s / 3600), 'hour'];
      return new Intl.NumberFormat(locale.value, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
    },
    dateTime: (epochMs: number) => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(epochMs),
  };
}
