import { useTranslation } from 'react-i18next';
import { LANGS, type Lang } from '../../../contracts/common.ts';
import { changeDashboardLang } from '../lib/i18n.ts';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <label class="lang-switch">
      <span class="sr-only">{t('common.language')}</span>
      <select value={i18n.language} onChange={(e) => void changeDashboardLang(e.currentTarget.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
