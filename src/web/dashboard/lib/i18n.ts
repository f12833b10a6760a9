import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANG, LANGS, type Lang } from '../../../contracts/common.ts';
import en from '../../../../locales/en/dashboard.json';
import fr from '../../../../locales/fr/dashboard.json';
import nl from '../../../../locales/nl/dashboard.json';

const STORAGE_KEY = 'tf_dashboard_lang';

function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The stored choice, else the browser's first supported language, else French (the seed's default). */
export function detectLang(): Lang {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLang(stored)) return stored;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isLang(base)) return base;
  }
  return DEFAULT_LANG;
}

export async function initDashboardI18n(): Promise<i18n> {
  const lng = detectLang();
  document.documentElement.lang = lng;
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: DEFAULT_LANG,
    supportedLngs: [...LANGS],
    ns: ['dashboard'],
    defaultNS: 'dashboard',
    resources: { fr: { dashboard: fr }, en: { dashboard: en }, nl: { dashboard: nl } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export async function changeDashboardLang(lang: Lang): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  await i18next.changeLanguage(lang);
}
