/**
 * Translations of the web pages (docs/architecture.md, web) with i18next: French by default, English, Dutch.
 *
 * Two ways to start (a page's entry point):
 * - bundled, every language in the page's code (dashboard, debug page, stories, tests), from
 *   `./i18n-bundled.ts`: `await initI18n({ namespaces: { widget: { fr: widgetFr, en: widgetEn, nl: widgetNl } }, defaultNS: 'widget' });`
 * - per language (the customer widget): `await initI18nLazy({ load: (lang) => import(...), defaultNS: 'widget' })`
 *   loads only the language shown (its own chunk, `common` included) before the first render; `setLang`
 *   loads another language's chunk before switching to it.
 * Then in components: `const { t, lang, setLang } = useTranslation();` → `t('help.title')`,
 * `t('errors.offline', { ns: 'common' })` (or `t('common:errors.offline')`).
 *
 * The `common` namespace (locales/<lang>/common.json) is always loaded. The language is, in order: the one
 * passed to the init function, the one the customer chose before (localStorage `tf-lang`), the browser's
 * (`navigator.languages`), else French. `setLang` switches, remembers the choice, sets `<html lang>` and the
 * API client's `Accept-Language`.
 *
 * This module imports no locale file, so that a page starting per language does not bundle all three
 * (the widget's 60 KB budget); the bundled start lives in `./i18n-bundled.ts`.
 *
 * The hook is a few lines over `preact/hooks` instead of react-i18next, which would cost the widget's
 * 60 KB budget several KB for the same thing.
 */
import i18next, { type i18n as I18n } from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../contracts/common.ts';
import { ApiError, friendlyErrorKey, setApiLanguage } from './api-client.ts';

/** The contract's languages (src/contracts/common.ts LANGS), repeated here as plain values: importing
 * that module would pull zod into the widget bundle. A type test keeps both lists equal. */
export const WEB_LANGS = ['fr', 'en', 'nl'] as const satisfies readonly Lang[];
export const WEB_DEFAULT_LANG: Lang = 'fr';
export const LANG_STORAGE_KEY = 'tf-lang';
export const LANG_NAMES: Record<Lang, string> = { fr: 'Français', en: 'English', nl: 'Nederlands' };

export type Translations = { [key: string]: string | Translations };
/** One namespace's translations in each language. */
export type Namespace = Record<Lang, Translations>;
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (WEB_LANGS as readonly string[]).includes(value);
}

/** The language the customer chose in an earlier visit, if any. */
export function readStoredLang(): Lang | null {
  try {
    const v = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    return isLang(v) ? v : null;
  } catch {
    return null; // storage blocked (third-party iframe, privacy mode)
  }
}

/** The first of the browser's languages we speak (`nl-BE` → `nl`), else French. */
export function langFromNavigator(languages: readonly string[] = navigatorLanguages()): Lang {
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return WEB_DEFAULT_LANG;
}

function navigatorLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

/** The customer's stored choice, else the browser's language, else French. */
export function detectLang(): Lang {
  return readStoredLang() ?? langFromNavigator();
}

/** The page's i18next instance (one per page). */
export const i18n: I18n = i18next.createInstance();

/** One language's namespaces (`common` included): `{ common: {...}, widget: {...} }`. */
export type LangResources = Record<string, Translations>;
/** Loads one language's namespaces (the widget: a dynamic import of that language's chunk). */
export type LangLoader = (lang: Lang) => Promise<LangResources>;

let langLoader: LangLoader | undefined;
const loading = new Map<Lang, Promise<void>>();

/** Loads a language's namespaces once with the page's loader (nothing to do for bundled pages). */
function ensureLang(lang: Lang): Promise<void> {
  if (!langLoader) return Promise.resolve();
  let p = loading.get(lang);
  if (!p) {
    p = langLoader(lang).then((byNs) => {
      for (const [ns, res] of Object.entries(byNs)) i18n.addResourceBundle(lang, ns, res, true, true);
    });
    p.catch(() => loading.delete(lang)); // offline: a later switch tries again
    loading.set(lang, p);
  }
  return p;
}

/**
 * Initialises translations once per page with every language's resources given (see `./i18n-bundled.ts`,
 * which adds `common`); resolves when ready (nothing fetched).
 */
export async function initI18nResources(options: {
  resources: Record<Lang, LangResources>;
  defaultNS?: string;
  lang?: Lang;
}): Promise<I18n> {
  const lang = options.lang ?? detectLang();
  await setUp(options.resources, options.defaultNS, lang);
  return i18n;
}

/**
 * Initialises translations with only the language shown: `load(lang)` gives that language's namespaces
 * (`common` included), awaited before resolving so that the first render is translated. Switching
 * language later (`setLang`) loads the other language the same way first.
 */
export async function initI18nLazy(options: { load: LangLoader; namespaces: string[]; defaultNS?: string; lang?: Lang }): Promise<I18n> {
  const lang = options.lang ?? detectLang();
  langLoader = options.load;
  const byNs = await options.load(lang);
  loading.set(lang, Promise.resolve());
  await setUp({ [lang]: byNs } as Record<Lang, LangResources>, options.defaultNS, lang, options.namespaces);
  return i18n;
}

async function setUp(resources: Partial<Record<Lang, LangResources>>, defaultNS: string | undefined, lang: Lang, namespaces?: string[]) {
  const ns = namespaces ?? [...new Set(Object.values(resources).flatMap((r) => Object.keys(r ?? {})))];
  if (!i18n.isInitialized) {
    await i18n.init({
      resources,
      lng: lang,
      fallbackLng: WEB_DEFAULT_LANG,
      supportedLngs: [...WEB_LANGS],
      ns: ['common', ...ns.filter((n) => n !== 'common')],
      defaultNS: defaultNS ?? 'common',
      fallbackNS: 'common',
      interpolation: { escapeValue: false }, // Preact escapes text
      returnNull: false,
      initAsync: false,
      showSupportNotice: false,
    } as Parameters<I18n['init']>[0]);
  } else {
    for (const [l, byNs] of Object.entries(resources))
      for (const [n, res] of Object.entries(byNs ?? {})) i18n.addResourceBundle(l, n, res, true, true);
    await i18n.changeLanguage(lang);
  }
  applyLang(lang);
}

function applyLang(lang: Lang) {
  setApiLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export function currentLang(): Lang {
  return isLang(i18n.language) ? i18n.language : WEB_DEFAULT_LANG;
}

/** Switches the page's language and remembers the choice for the next visit. */
export async function setLang(lang: Lang): Promise<void> {
  await ensureLang(lang); // per-language pages (the widget): that language's chunk first, no untranslated flash
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
  await i18n.changeLanguage(lang);
  applyLang(lang);
}

/** A translate function in a fixed language (stories, tests, e-mail previews). */
export function fixedT(lang: Lang, ns?: string): Translate {
  return i18n.getFixedT(lang, ns) as unknown as Translate;
}

/** Re-renders the component when the language changes. */
export function useTranslation(ns?: string): { t: Translate; lang: Lang; setLang: (lang: Lang) => Promise<void> } {
  const [lang, setState] = useState<Lang>(currentLang());
  useEffect(() => {
    const onChange = () => setState(currentLang());
    i18n.on('languageChanged', onChange);
    onChange();
    return () => i18n.off('languageChanged', onChange);
  }, []);
  return { t: i18n.getFixedT(lang, ns) as unknown as Translate, lang, setLang };
}

/**
 * The text to show for a failed call: the seed's friendly text for offline/5xx/404, and for other
 * answers (429 ticket limit, 400) the server's own message, which is already in the customer's language
 * and more precise; the friendly 429 text when the server gave none.
 */
export function errorText(t: Translate, error: unknown): string {
  const key = friendlyErrorKey(error);
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 404 && error.message)
    return error.message;
  return t(key, { ns: 'common' });
}
