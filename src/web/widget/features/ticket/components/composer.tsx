import { useEffect, useRef, useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';

const TYPING_IDLE_MS = 3000;
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
  onSend: (text: string) => void;
  onTyping?: (typing: boolean) => void;
  disabled?: boolean;
  draftKey?: string;
  maxLength?: number;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => readDraft(draftKey));
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
    const body = text.trim();
    if (!body || disabled) return;
    onSend(body);
    setText('');
    writeDraft(draftKey, '');
    stopTyping();
  };

  return (
    <form
      class="tf-composer"
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
      <button type="submit" class="tf-btn" disabled={disabled || !text.trim()}>
        {t('common:send')}
      </button>
    </form>
  );
}
