import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';

export type TrackInput = { number: string; email: string };

/** Order number and e-mail: both are needed, so a number alone reveals nothing. */
export function TrackForm({ onSubmit, busy = false, initial }: { onSubmit: (input: TrackInput) => void; busy?: boolean; initial?: Partial<TrackInput> }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState(initial?.number ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const submit = (e: Event) => {
    e.preventDefault();
    if (!busy && number.trim() && email.trim()) onSubmit({ number: number.trim(), email: email.trim() });
  };
  return (
    <form class="tf-form" onSubmit={submit}>
      <label class="tf-field">
        <span class="tf-label">{t('track.number')}</span>
        <input class="tf-input" name="number" required maxLength={64} autoComplete="off" placeholder="TF-1001" value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
      </label>
      <label class="tf-field">
        <span class="tf-label">{t('track.email')}</span>
        <input class="tf-input" name="email" type="email" required maxLength={254} autoComplete="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <button type="submit" class="tf-btn" disabled={busy}>
        {busy ? t('common:loading') : t('track.submit')}
      </button>
    </form>
  );
}
