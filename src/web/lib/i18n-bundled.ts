/**
 * The bundled start of the pages' translations: every language of the given namespaces, plus `common`,
 * in the page's code (dashboard, debug page, stories, tests). The customer widget loads only the language
 * it shows instead (`initI18nLazy` in ./i18n.ts, chunks `widget-locale-<lang>`): this module is kept apart
 * from ./i18n.ts so that a page sharing ./i18n.ts with the widget does not put these files in a chunk the
 * widget loads.
 */
import commonEn from '../../../locales/en/common.json';
import commonFr from '../../../locales/fr/common.json';
import commonNl from '../../../locales/nl/common.json';
import type { Lang } from '../../contracts/common.ts';
import { initI18nResources, type LangResources, type Namespace, WEB_LANGS } from './i18n.ts';

const COMMON: Namespace = { fr: commonFr, en: commonEn, nl: commonNl };

/** Initialises translations once per page with every language bundled; resolves when ready (no fetch). */
export function initI18n(options: { namespaces?: Record<string, Namespace>; defaultNS?: string; lang?: Lang }) {
  const resources = {} as Record<Lang, LangResources>;
  for (const l of WEB_LANGS) {
    resources[l] = { common: COMMON[l] };
    for (const [ns, byLang] of Object.entries(options.namespaces ?? {})) resources[l][ns] = byLang[l];
  }
  return initI18nResources({ resources, defaultNS: options.defaultNS, lang: options.lang });
}
