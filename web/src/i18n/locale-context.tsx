import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { SafeStorage } from "../session/safe-storage.js";
import { catalogues, locales, type Locale, type Messages } from "./messages.js";

const storageKey = "promptloop.locale";

/** What components get from {@link useI18n}. */
export interface I18n {
  locale: Locale;
  t: Messages;
  setLocale: (locale: Locale) => void;
  /** Formats a number in [0, 1] as a percentage in the current language. */
  percent: (value: number, digits?: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

function isLocale(value: string | null): value is Locale {
  return value !== null && (locales as readonly string[]).includes(value);
}

/** Provides the language, Chinese unless the user chose otherwise earlier (remembered in `storage`). */
export function LocaleProvider({ storage, children }: { storage: SafeStorage; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const stored = storage.get(storageKey);
    return isLocale(stored) ? stored : "zh";
  });
  const setLocale = useCallback(
    (next: Locale) => {
      storage.set(storageKey, next);
      setLocaleState(next);
    },
    [storage],
  );
  useEffect(() => {
    document.documentElement.lang = catalogues[locale].htmlLang;
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const t = catalogues[locale];
    return {
      locale,
      t,
      setLocale,
      percent: (v, digits = 0) =>
        new Intl.NumberFormat(t.htmlLang, {
          style: "percent",
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        }).format(v),
    };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n must be used inside <LocaleProvider>");
  return value;
}
