import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction } from 'i18next';
import { DEFAULT_LANG, LANGS, type Lang } from '../contracts/common.ts';

const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

function loadResources() {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const lang of LANGS) {
    resources[lang] = {};
    for (const file of readdirSync(`${LOCALES_DIR}/${lang}`).filter((f) => f.endsWith('.json'))) {
      resources[lang][file.replace(/\.json$/, '')] = JSON.parse(readFileSync(`${LOCALES_DIR}/${lang}/${file}`, 'utf8'));
    }
  }
  return resources;
}

/** The server's translations: the same locale files as the web pages (locales/{fr,en,nl}/*.json). */
export const i18n = i18next.createInstance();
void i18n.init({
  resources: loadResources(),
  lng: DEFAULT_LANG,
  fallbackLng: DEFAULT_LANG,
  supportedLngs: [...LANGS],
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  initAsync: false,
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

export function translator(lang: Lang): TFunction {
  return i18n.getFixedT(lang);
}

/** Picks the best of our languages from an Accept-Language header; French when none matches. */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return DEFAULT_LANG;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { base } of ranked) if ((LANGS as readonly string[]).includes(base)) return base as Lang;
  return DEFAULT_LANG;
}
