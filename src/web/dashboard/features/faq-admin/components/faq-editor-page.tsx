import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import { LANGS, type Lang } from '../../../../../contracts/common.ts';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { ApiError } from '../../../../staff/http.ts';
import { FAQ_LIMITS } from '../../../../../contracts/faq.ts';
import { useFaqEntries, type AdminFaqEntry } from '../api/get-faq-entries.ts';
import { useUpdateFaqEntry } from '../api/update-faq-entry.ts';

/** Admins edit the FAQ answers the chatbot and the widget show, one language at a time. */
export function FaqEditorPage() {
  const { t, lang: uiLang } = useTranslation();
  const [lang, setLang] = useState<Lang>(uiLang);
  const faq = useFaqEntries();
  const entries = faq.data?.entries.filter((e) => e.lang === lang) ?? [];
  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('faq.title')}</h1>
      </header>
      <div class="tabs" role="group" aria-label={t('faq.language')}>
        {LANGS.map((l) => (
          <button key={l} type="button" class={`tab ${l === lang ? 'tab-active' : ''}`} aria-pressed={l === lang} onClick={() => setLang(l)}>
            {t(`languages.${l}`)}
          </button>
        ))}
      </div>
      {faq.isPending ? (
        <Loading />
      ) : faq.isError ? (
        <ErrorState error={faq.error} onRetry={() => void faq.refetch()} />
      ) : (
        <div class="faq-list">
          {entries.map((entry) => (
            <FaqEntryForm key={`${entry.key}-${entry.lang}`} entry={entry} />
          ))}
        </div>
      )}
    </div>
  );
}

function FaqEntryForm({ entry }: { entry: AdminFaqEntry }) {
  const { t } = useTranslation();
  const update = useUpdateFaqEntry();
  const [title, setTitle] = useState(entry.title);
  const [answer, setAnswer] = useState(entry.answer);
  const [phrasings, setPhrasings] = useState(entry.phrasings.join('\n'));
  const [saved, setSaved] = useState(false);
  const phrasingList = phrasings.split('\n').map((p) => p.trim()).filter(Boolean);
  const dirty = title !== entry.title || answer !== entry.answer || phrasingList.join('\n') !== entry.phrasings.join('\n');
  const id = `faq-${entry.key}-${entry.lang}`;
  return (
    <form
      class="card faq-entry"
      aria-labelledby={`${id}-key`}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        update.mutate(
          { key: entry.key, lang: entry.lang, body: { title, answer, phrasings: phrasingList } },
          { onSuccess: () => setSaved(true) },
        );
      }}
    >
      <p id={`${id}-key`} class="mono muted small">
        {entry.key}
      </p>
      <div class="field">
        <label for={`${id}-title`}>{t('faq.question')}</label>
        <input id={`${id}-title`} required maxLength={FAQ_LIMITS.titleMaxChars} value={title} onInput={(e) => (setTitle(e.currentTarget.value), setSaved(false))} />
      </div>
      <div class="field">
        <label for={`${id}-answer`}>{t('faq.answer')}</label>
        <textarea id={`${id}-answer`}
          required
          rows={4}
          maxLength={FAQ_LIMITS.answerMaxChars}
          value={answer}
          onInput={(e) => (setAnswer(e.currentTarget.value), setSaved(false))}
        />
      </div>
      <div class="field">
        <label for={`${id}-phrasings`}>{t('faq.phrasings')}</label>
        <textarea id={`${id}-phrasings`} rows={3} value={phrasings} onInput={(e) => (setPhrasings(e.currentTarget.value), setSaved(false))} />
        <span class="muted small field-hint">{t('faq.phrasingsHint')}</span>
      </div>
      <div class="form-actions">
        <span role="status" aria-live="polite" class="small">
          {update.error ? (
            <span class="error-text">
              {update.error instanceof ApiError && update.error.status > 0 && update.error.status < 500 ? update.error.message : t('errors.generic')}
            </span>
          ) : (
            saved && <span class="success-text">{t('faq.saved')}</span>
          )}
        </span>
        <button type="submit" class="btn btn-primary" disabled={!dirty || update.isPending}>
          {t('faq.save')}
        </button>
      </div>
    </form>
  );
}
