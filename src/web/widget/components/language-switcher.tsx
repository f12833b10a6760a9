import type { Lang } from '../../../contracts/common.ts';
import { LANG_NAMES, WEB_LANGS, useTranslation } from '../../lib/i18n.ts';

/** Switches the widget's language; the choice is remembered and sent when a ticket is opened. */
export function LanguageSwitcher() {
  const { t, lang, setLang } = useTranslation();
  return (
    <label class="tf-lang">
      <span class="tf-sr-only">{t('common:language')}</span>
      <select value={lang} onChange={(e) => void setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
        {WEB_LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
