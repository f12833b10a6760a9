import { useEffect, useState } from 'preact/hooks';
import { LANGS, type Lang } from '../../../../../contracts/common.ts';
import { FAQ_LIMITS } from '../../../../../contracts/faq.ts';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { useTranslation } from '../../../../staff/i18n.ts';
import { useFaqEntries } from '../../faq-admin/api/get-faq-entries.ts';
import { useBotModelStatus, useDismiss, useTeach, useUnanswered, type UnansweredGroup } from '../api/unanswered.ts';

const NEW_ENTRY = '__new__';

/**
 * The learning loop's admin page: the questions the bot could not answer this week, grouped with
 * counts; one click teaches a group to the bot as a phrasing of an FAQ entry (or a new entry).
 */
export function UnansweredPage() {
  const { t } = useTranslation();
  const list = useUnanswered(7);
  const [training, setTraining] = useState(false);
  const model = useBotModelStatus(training);
  // Polls the model while it retrains; the answer to the teach already says it started.
  useEffect(() => {
    if (training && model.data && !model.data.training) setTraining(false);
  }, [training, model.data]);
  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('learning.title')}</h1>
      </header>
      <p class="muted" role="status" data-testid="bot-model-status">
        {model.data?.training || training
          ? t('learning.training')
          : model.data && model.data.version > 0
            ? t('learning.modelLearned', { count: model.data.examples })
            : t('learning.modelShipped')}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.groups.length === 0 ? (
        <p class="card">{t('learning.empty')}</p>
      ) : (
        <ol class="faq-list" aria-label={t('learning.listLabel', { count: list.data.total })}>
          {list.data.groups.map((group) => (
            <li key={group.ids[0]}>
              <GroupCard group={group} onTaught={() => setTraining(true)} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function GroupCard({ group, onTaught }: { group: UnansweredGroup; onTaught: () => void }) {
  const { t } = useTranslation();
  const faq = useFaqEntries();
  const teach = useTeach();
  const dismiss = useDismiss();
  const [lang, setLang] = useState<Lang>(group.lang);
  const [key, setKey] = useState(group.suggestion?.key ?? '');
  const [text, setText] = useState(group.text);
  const [newKey, setNewKey] = useState('');
  const [title, setTitle] = useState('');
  const [answer, setAnswer] = useState('');
  const id = `unanswered-${group.ids[0]}`;
  const entries = faq.data?.entries.filter((e) => e.lang === lang) ?? [];
  const creating = key === NEW_ENTRY;
  const error = teach.error ?? dismiss.error;
  return (
    <form
      class="card faq-entry"
      aria-labelledby={`${id}-text`}
      data-testid="unanswered-group"
      onSubmit={(e) => {
        e.preventDefault();
        teach.mutate(
          creating
            ? { ids: group.ids, key: newKey, lang, text, title, answer }
            : { ids: group.ids, key, lang, text },
          { onSuccess: onTaught },
        );
      }}
    >
      <p id={`${id}-text`}>
        <strong>{group.text}</strong>{' '}
        <span class="badge">{t('learning.count', { count: group.count })}</span>{' '}
        {group.unhelpful > 0 && <span class="badge">{t('learning.unhelpful', { count: group.unhelpful })}</span>}{' '}
        <span class="muted small">{t(`languages.${group.lang}`)}</span>
      </p>
      {group.examples.length > 1 && (
        <ul class="muted small">
          {group.examples.slice(1).map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      )}
      <div class="field">
        <label for={`${id}-phrasing`}>{t('learning.phrasing')}</label>
        <input id={`${id}-phrasing`} required maxLength={1000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={`${id}-lang`}>{t('faq.language')}</label>
        <select id={`${id}-lang`} value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
          {LANGS.map((l) => (
            <option key={l} value={l}>
              {t(`languages.${l}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-key`}>{t('learning.entry')}</label>
        <select id={`${id}-key`} required value={key} onChange={(e) => setKey(e.currentTarget.value)}>
          <option value="" disabled>
            {t('learning.chooseEntry')}
          </option>
          {entries.map((e) => (
            <option key={e.key} value={e.key}>
              {e.title}
            </option>
          ))}
          <option value={NEW_ENTRY}>{t('learning.newEntry')}</option>
        </select>
      </div>
      {creating && (
        <>
          <div class="field">
            <label for={`${id}-newkey`}>{t('learning.newKey')}</label>
            <input id={`${id}-newkey`} required pattern="[a-z][a-z0-9_]*" maxLength={FAQ_LIMITS.keyMaxChars} value={newKey} onInput={(e) => setNewKey(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${id}-title`}>{t('faq.question')}</label>
            <input id={`${id}-title`} required maxLength={FAQ_LIMITS.titleMaxChars} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${id}-answer`}>{t('faq.answer')}</label>
            <textarea id={`${id}-answer`} required rows={3} maxLength={FAQ_LIMITS.answerMaxChars} value={answer} onInput={(e) => setAnswer(e.currentTarget.value)} />
          </div>
        </>
      )}
      {error && (
        <p class="error-text" role="alert">
          {error.message}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn" disabled={dismiss.isPending} onClick={() => dismiss.mutate(group.ids)}>
          {t('learning.dismiss')}
        </button>
        <button type="submit" class="btn btn-primary" disabled={teach.isPending || !key}>
          {t('learning.teach')}
        </button>
      </div>
    </form>
  );
}
