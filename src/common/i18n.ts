/**
 * Minimal i18n for the server side and the CLI: Bahasa Indonesia first, English second.
 * Messages live in per-feature dictionaries registered with {@link defineMessages}; a message is
 * a template with `{name}` placeholders.
 */
export type Lang = 'id' | 'en';

export interface Bilingual {
  id: string;
  en: string;
}

type Dict = Record<string, Bilingual>;

const registry: Dict = {};

/** Registers a feature's messages and returns a typed key set; keys must be unique across features. */
export function defineMessages<K extends string>(messages: Record<K, Bilingual>): Record<K, K> {
  const keys = {} as Record<K, K>;
  for (const key of Object.keys(messages) as K[]) {
    if (registry[key] && (registry[key].id !== messages[key].id || registry[key].en !== messages[key].en)) {
      throw new Error(`i18n key defined twice with different text: ${key}`);
    }
    registry[key] = messages[key];
    keys[key] = key;
  }
  return keys;
}

function fill(template: string, params: Record<string, unknown> | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The message in one language, placeholders filled. Unknown keys come back as the key itself. */
export function t(key: string, params?: Record<string, unknown>, lang: Lang = currentLang()): string {
  const entry = registry[key];
  if (!entry) return key;
  return fill(entry[lang], params);
}

/** The message in both languages, Indonesian first: what rejected rows and CLI errors carry. */
export function tBoth(key: string, params?: Record<string, unknown>): Bilingual {
  return { id: t(key, params, 'id'), en: t(key, params, 'en') };
}

/** "Indonesian / English" on one line, for terminals and logs. */
export function bilingualLine(key: string, params?: Record<string, unknown>): string {
  const b = tBoth(key, params);
  return b.id === b.en ? b.id : `${b.id} / ${b.en}`;
}

/** The user's language from TUMBUH_LANG (id by default). */
export function currentLang(): Lang {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.TUMBUH_LANG;
  return v === 'en' ? 'en' : 'id';
}
