import { useState } from 'preact/hooks';
import { CANNED_REPLY_LIMITS, type CannedReply } from '../../../../../contracts/agents.ts';
import { LANGS, type Lang } from '../../../../../contracts/common.ts';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { ApiError } from '../../../../staff/http.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { useAllCannedReplies, useCreateCannedReply, useDeleteCannedReply, useUpdateCannedReply } from '../api/canned-replies.ts';

const PLACEHOLDERS = { a: '{{customer.email}}', b: '{{order.number}}', c: '{{agent.name}}' };

type Fields = { shortcut: string; title: string; body: string };
const EMPTY: Fields = { shortcut: '', title: '', body: '' };

function errorText(error: unknown, t: ReturnType<typeof useTranslation>['t']): string {
  return error instanceof ApiError && error.status > 0 && error.status < 500 ? error.message : t('errors.generic');
}

/** Admins write the team's canned replies, one language at a time: create, edit, delete. */
export function CannedRepliesPage() {
  const { t, lang: uiLang } = useTranslation();
  // The page's language until the admin picks a tab.
  const [picked, setLang] = useState<Lang | null>(null);
  const lang = picked ?? uiLang;
  const list = useAllCannedReplies();
  const replies = (list.data?.replies ?? []).filter((r) => r.lang === lang).sort((a, b) => a.shortcut.localeCompare(b.shortcut));
  const [deleted, setDeleted] = useState(false);
  return (
    <div class="page">
      <header class="page-header">
        <h1>{t('cannedAdmin.title')}</h1>
        <p class="muted">{t('cannedAdmin.intro')}</p>
      </header>
      <div class="tabs" role="group" aria-label={t('cannedAdmin.language')}>
        {LANGS.map((l) => (
          <button key={l} type="button" class={`tab ${l === lang ? 'tab-active' : ''}`} aria-pressed={l === lang} onClick={() => setLang(l)}>
            {t(`languages.${l}`)}
          </button>
        ))}
      </div>
      <NewReplyForm key={lang} lang={lang} />
      <p class="small" role="status" aria-live="polite">
        {deleted && <span class="success-text">{t('cannedAdmin.deleted')}</span>}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : replies.length === 0 ? (
        <p class="card muted">{t('cannedAdmin.empty')}</p>
      ) : (
        <ul class="canned-list">
          {replies.map((reply) => (
            <ReplyItem key={reply.id} reply={reply} onDeleted={() => setDeleted(true)} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ReplyFields({ id, fields, onChange }: { id: string; fields: Fields; onChange: (f: Fields) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <div class="field">
        <label for={`${id}-shortcut`}>{t('cannedAdmin.shortcut')}</label>
        <input
          id={`${id}-shortcut`}
          required
          pattern="[a-z0-9][a-z0-9_\-]*"
          maxLength={CANNED_REPLY_LIMITS.shortcutMaxChars}
          value={fields.shortcut}
          aria-describedby={`${id}-shortcut-hint`}
          onInput={(e) => onChange({ ...fields, shortcut: e.currentTarget.value })}
        />
        <span id={`${id}-shortcut-hint`} class="muted small field-hint">
          {t('cannedAdmin.shortcutHint')}
        </span>
      </div>
      <div class="field">
        <label for={`${id}-title`}>{t('cannedAdmin.replyTitle')}</label>
        <input
          id={`${id}-title`}
          required
          maxLength={CANNED_REPLY_LIMITS.titleMaxChars}
          value={fields.title}
          onInput={(e) => onChange({ ...fields, title: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={`${id}-body`}>{t('cannedAdmin.body')}</label>
        <textarea
          id={`${id}-body`}
          required
          rows={4}
          maxLength={CANNED_REPLY_LIMITS.bodyMaxChars}
          value={fields.body}
          aria-describedby={`${id}-body-hint`}
          onInput={(e) => onChange({ ...fields, body: e.currentTarget.value })}
        />
        <span id={`${id}-body-hint`} class="muted small field-hint">
          {t('cannedAdmin.bodyHint', { ...PLACEHOLDERS, interpolation: { escapeValue: false } })}
        </span>
      </div>
    </>
  );
}

function NewReplyForm({ lang }: { lang: Lang }) {
  const { t } = useTranslation();
  const create = useCreateCannedReply();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [added, setAdded] = useState(false);
  return (
    <form
      class="card canned-form"
      aria-labelledby="canned-new-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setAdded(false);
        create.mutate(
          { lang, shortcut: fields.shortcut.trim().toLowerCase(), title: fields.title.trim(), body: fields.body.trim() },
          { onSuccess: () => (setFields(EMPTY), setAdded(true)) },
        );
      }}
    >
      <h2 id="canned-new-heading">{t('cannedAdmin.new')}</h2>
      <ReplyFields id="canned-new" fields={fields} onChange={(f) => (setFields(f), setAdded(false))} />
      <div class="form-actions">
        <span role="status" aria-live="polite" class="small">
          {create.error ? <span class="error-text">{errorText(create.error, t)}</span> : added && <span class="success-text">{t('cannedAdmin.added')}</span>}
        </span>
        <button type="submit" class="btn btn-primary" disabled={create.isPending}>
          {t('cannedAdmin.add')}
        </button>
      </div>
    </form>
  );
}

function ReplyItem({ reply, onDeleted }: { reply: CannedReply; onDeleted: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateCannedReply();
  const remove = useDeleteCannedReply();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState(false);
  const [fields, setFields] = useState<Fields>({ shortcut: reply.shortcut, title: reply.title, body: reply.body });
  const id = `canned-${reply.id}`;
  const error = update.error ?? remove.error;

  if (editing) {
    return (
      <li class="card canned-item">
        <form
          aria-labelledby={`${id}-heading`}
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(false);
            update.mutate(
              { id: reply.id, body: { shortcut: fields.shortcut.trim().toLowerCase(), title: fields.title.trim(), body: fields.body.trim() } },
              { onSuccess: () => (setEditing(false), setSaved(true)) },
            );
          }}
        >
          <h2 id={`${id}-heading`} class="subheading">
            {t('cannedAdmin.editing', { title: reply.title })}
          </h2>
          <ReplyFields id={id} fields={fields} onChange={setFields} />
          <div class="form-actions">
            <span role="status" aria-live="polite" class="small">
              {update.error && <span class="error-text">{errorText(update.error, t)}</span>}
            </span>
            <button type="button" class="btn btn-ghost" onClick={() => (update.reset(), setEditing(false))}>
              {t('cannedAdmin.cancel')}
            </button>
            <button type="submit" class="btn btn-primary" disabled={update.isPending}>
              {t('cannedAdmin.save')}
            </button>
          </div>
        </form>
      </li>
    );
  }
  return (
    <li class="card canned-item" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} class="subheading">
        <span class="mono">/{reply.shortcut}</span> {reply.title}
      </h2>
      <p class="canned-body">{reply.body}</p>
      <div class="form-actions">
        <span role="status" aria-live="polite" class="small">
          {error ? <span class="error-text">{errorText(error, t)}</span> : saved && <span class="success-text">{t('cannedAdmin.saved')}</span>}
        </span>
        {confirming ? (
          <>
            <span class="small">{t('cannedAdmin.confirmDelete', { title: reply.title })}</span>
            <button type="button" class="btn btn-danger" disabled={remove.isPending} onClick={() => remove.mutate(reply.id, { onSuccess: onDeleted })}>
              {t('cannedAdmin.delete')}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setConfirming(false)}>
              {t('cannedAdmin.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" class="btn btn-ghost" aria-label={`${t('cannedAdmin.edit')} /${reply.shortcut}`} onClick={() => (setSaved(false), setEditing(true))}>
              {t('cannedAdmin.edit')}
            </button>
            <button type="button" class="btn btn-ghost" aria-label={`${t('cannedAdmin.delete')} /${reply.shortcut}`} onClick={() => (remove.reset(), setConfirming(true))}>
              {t('cannedAdmin.delete')}
            </button>
          </>
        )}
      </div>
    </li>
  );
}
