import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import en from './en.json';
import id from './id.json';

/** The two languages of the app: Bahasa Indonesia first, English from the switch. */
export type Lang = 'id' | 'en';

/** A message the server sends in both languages. */
export interface Bilingual {
  id: string;
  en: string;
}

export type MessageKey = keyof typeof id;

const DICTS: Record<Lang, Record<string, string>> = { id, en };
const STORAGE_KEY = 'tumbuh.lang';

function fill(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The message `key` in `lang`, placeholders filled; the key itself when it is missing. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return fill(DICTS[lang][key] ?? DICTS.id[key] ?? key, params);
}

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** Picks the user's language from a server message. */
  pick(message: Bilingual | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

/** Provides the language and the translator to the whole app. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
    document.documentElement.lang = next;
  }, []);
  const value = useMemo<I18n>(() => ({
    lang,
    setLang,
    t: (key, params) => translate(lang, key, params),
    pick: (m) => (m ? m[lang] ?? m.id : ''),
  }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The translator of the current language. */
export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
