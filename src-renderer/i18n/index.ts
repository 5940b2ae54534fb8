/** vue-i18n with English and Simplified Chinese; the language follows the system unless chosen. */
import { createI18n } from 'vue-i18n';
import { en, type Messages } from './en';
import { zhCN } from './zh-CN';

export const appLocales = ['en', 'zh-CN'] as const;
export type AppLocale = (typeof appLocales)[number];

export const localeNames: Record<AppLocale, string> = { en: 'English', 'zh-CN': '简体中文' };

/** The closest shipped language for a BCP 47 tag: any `zh` -> zh-CN, else English. */
export function matchLocale(tag: string | null | undefined): AppLocale {
  return tag?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
});
