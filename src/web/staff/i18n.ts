import en from '../../../locales/en/dashboard.json';
import fr from '../../../locales/fr/dashboard.json';
import nl from '../../../locales/nl/dashboard.json';
import { initI18n } from '../lib/i18n-bundled.ts';

export { LANG_NAMES, WEB_LANGS, setLang, useTranslation } from '../lib/i18n.ts';

export const DASHBOARD_NS = 'dashboard';

/** The dashboard's and debug page's texts (locales/<lang>/dashboard.json) over the shared i18n setup. */
export function initDashboardI18n() {
  return initI18n({ namespaces: { [DASHBOARD_NS]: { fr, en, nl } }, defaultNS: DASHBOARD_NS });
}
