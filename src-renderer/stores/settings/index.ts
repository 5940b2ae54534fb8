/** Window preferences kept in the window's own storage: the language. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { i18n, matchLocale, type AppLocale } from '../../i18n';
import { StoreId } from '../ids';

const LOCALE_KEY = 'joule.locale';

export const useSettingsStore = defineStore(StoreId.Settings, () => {
  const locale = ref<AppLocale>('en');
  /** True when the user picked a language rather than following the system. */
  const chosen = ref(false);

  function init(systemLocale: string): void {
    const stored = localStorage.getItem(LOCALE_KEY);
    chosen.value = stored !== null;
    setLocale(matchLocale(stored ?? systemLocale), false);
  }

  function setLocale(value: AppLocale, remember = true): void {
    locale.value = value;
    i18n.global.locale.value = value;
    document.documentElement.lang = value;
    if (remember) {
      localStorage.setItem(LOCALE_KEY, value);
      chosen.value = true;
    }
  }

  return { locale, chosen, init, setLocale };
});
