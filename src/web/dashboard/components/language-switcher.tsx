import type { Lang } from '../../../contracts/common.ts';
import { LANG_NAMES, WEB_LANGS, useTranslation } from '../lib/i18n.ts';

export function LanguageSwitcher() {
  const { t, lang, setLang } = useTranslation();
  return (
    <span class="lang-switch">
      <label class="sr-only" for="lang-switch">
        {t('common.language')}
      </label>
      <select id="lang-switch" value={lang} onChange={(e) => void setLang(e.currentTarget.value as Lang)}>
        {WEB_LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </span>
  );
}
