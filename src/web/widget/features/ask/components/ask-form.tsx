import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';

/** The free question box of the welcome screen. */
export function AskForm({ onAsk, busy = false, initial = '' }: { onAsk: (text: string) => void; busy?: boolean; initial?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const submit = (e: Event) => {
    e.preventDefault();
    const q = text.trim();
    if (q && !busy) onAsk(q);
  };
  return (
    <form class="tf-ask" onSubmit={submit}>
      <label class="tf-field">
        <span class="tf-label">{t('ask.label')}</span>
        <span class="tf-row">
          <input
            class="tf-input"
            type="text"
            maxLength={1000}
            value={text}
            placeholder={t('ask.placeholder')}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="tf-btn" disabled={busy || !text.trim()}>
            {busy ? t('common:loading') : t('ask.submit')}
          </button>
        </span>
      </label>
    </form>
  );
}
