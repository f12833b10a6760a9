import type { Lang } from '../../contracts/common.ts';
import { LANG_NAMES, WEB_LANGS, useTranslation } from './i18n.ts';

/**
 * The page's language menu; the choice is remembered for the next visit (and the widget sends it when a
 * ticket is opened). `classPrefix`: the page's own class names (the widget's are `tf-`: `tf-lang-switch`,
 * `tf-sr-only`; the staff pages' have none).
 */
/** The widget's other language could not be loaded (offline): the page stays in the current language;
 * choosing again retries. */
const keepLang = () => undefined;

export function LanguageSwitcher({ classPrefix = '' }: { classPrefix?: string }) {
  const { t, lang, setLang } = useTranslation();
  return (
    <label class={`${classPrefix}lang-switch`}>
      <span class={`${classPrefix}sr-only`}>{t('common:language')}</span>
      <select value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang).catch(keepLang)}>
        {WEB_LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
