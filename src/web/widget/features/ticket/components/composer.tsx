import { useEffect, useRef, useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';

const TYPING_IDLE_MS = 3000;
const MAX_FILES = 5;
const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf';
const DRAFT_PREFIX = 'tf-draft-';

function readDraft(key: string | undefined) {
  try {
    return key ? (globalThis.localStorage?.getItem(DRAFT_PREFIX + key) ?? '') : '';
  } catch {
    return '';
  }
}
function writeDraft(key: string | undefined, text: string) {
  try {
    if (!key) return;
    if (text) globalThis.localStorage?.setItem(DRAFT_PREFIX + key, text);
    else globalThis.localStorage?.removeItem(DRAFT_PREFIX + key);
  } catch {
    // storage blocked: the draft lives in the page only
  }
}

/**
 * Where the customer writes. Enter sends, Shift+Enter starts a new line. The draft is kept in
 * localStorage (per ticket) so a reload does not lose it. `onTyping(true)` is sent at most every 3 s
 * while typing, `onTyping(false)` after 3 s idle or on send.
 */
export function Composer({
  onSend,
  onTyping,
  disabled = false,
  draftKey,
  maxLength = 5000,
}: {
  /** `files`: photos and PDFs chosen, pasted or dropped (at most 5), sent with the text. */
  onSend: (text: string, files: File[]) => void;
  onTyping?: (typing: boolean) => void;
  disabled?: boolean;
  draftKey?: string;
  maxLength?: number;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => readDraft(draftKey));
  const [files, setFiles] = useState<File[]>([]);
  const addFiles = (list: FileList | null | undefined) => {
    if (list?.length) setFiles((all) => [...all, ...list].slice(0, MAX_FILES));
  };
  const typing = useRef<{ since: number; timer: ReturnType<typeof setTimeout> | null }>({ since: 0, timer: null });

  const stopTyping = () => {
    if (typing.current.timer) clearTimeout(typing.current.timer);
    typing.current.timer = null;
    if (typing.current.since) onTyping?.(false);
    typing.current.since = 0;
  };
  useEffect(() => stopTyping, []);

  const onInput = (value: string) => {
    setText(value);
    writeDraft(draftKey, value);
    if (!onTyping) return;
    const now = Date.now();
    if (now - typing.current.since > TYPING_IDLE_MS) {
      typing.current.since = now;
      onTyping(true);
    }
    if (typing.current.timer) clearTimeout(typing.current.timer);
    typing.current.timer = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const send = () => {
    // A photo alone is a message too: its text is then the files' names.
    const body = text.trim() || files.map((f) => f.name).join(', ');
    if (!body || disabled) return;
    onSend(body, files);
    setFiles([]);
    setText('');
    writeDraft(draftKey, '');
    stopTyping();
  };

  return (
    <form
      class="tf-composer"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        addFiles(e.dataTransfer?.files);
      }}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label class="tf-sr-only" for="tf-composer-input">
        {t('ticket.composer_label')}
      </label>
      <textarea
        id="tf-composer-input"
        class="tf-input tf-composer__input"
        rows={2}
        maxLength={maxLength}
        value={text}
        disabled={disabled}
        placeholder={t('ticket.composer_placeholder')}
        aria-describedby="tf-composer-hint"
        onInput={(e) => onInput(e.currentTarget.value)}
        onPaste={(e) => {
          // Files (a screenshot, a photo copied from a file manager) are attached, not pasted as their name.
          if (!e.clipboardData?.files.length) return;
          e.preventDefault();
          addFiles(e.clipboardData.files);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <span id="tf-composer-hint" class="tf-sr-only">
        {t('ticket.composer_hint')}
      </span>
      {[false, true].map((camera) => (
        <label key={String(camera)} class={`tf-btn tf-attach${camera ? ' tf-attach--camera' : ''}`} title={t(camera ? 'ticket.take_photo' : 'ticket.attach')}>
          <span aria-hidden="true">{camera ? '📷' : '📎'}</span>
          <input
            type="file"
            class="tf-sr-only"
            multiple={!camera}
            accept={camera ? 'image/*' : ACCEPT}
            capture={camera ? 'environment' : undefined}
            aria-label={t(camera ? 'ticket.take_photo' : 'ticket.attach')}
            disabled={disabled || files.length >= MAX_FILES}
            onChange={(e) => {
              addFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>
      ))}
      {files.length > 0 && (
        <ul class="tf-composer__files" aria-label={t('ticket.files')}>
          {files.map((f, i) => (
            <li key={i}>
              {f.name}
              <button type="button" class="tf-link" aria-label={t('ticket.remove_file', { name: f.name })} onClick={() => setFiles(files.filter((x) => x !== f))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="submit" class="tf-btn" disabled={disabled || (!text.trim() && !files.length)}>
        {t('common:send')}
      </button>
    </form>
  );
}
