import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';

export const SCORES = [1, 2, 3, 4, 5] as const;

/** After a ticket is resolved: a 1–5 rating (CSAT) with an optional comment. */
export function RatingForm({
  onSubmit,
  busy = false,
  done = false,
}: {
  onSubmit: (score: number, comment: string) => void;
  busy?: boolean;
  done?: boolean;
}) {
  const { t } = useTranslation();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  if (done)
    return (
      <p class="tf-rating tf-note" role="status">
        {t('rating.thanks')}
      </p>
    );
  return (
    <form
      class="tf-rating"
      onSubmit={(e) => {
        e.preventDefault();
        if (score && !busy) onSubmit(score, comment.trim());
      }}
    >
      <fieldset class="tf-rating__scores">
        <legend class="tf-label">{t('rating.question')}</legend>
        {SCORES.map((s) => (
          <label key={s} class={`tf-star${score !== null && s <= score ? ' tf-star--on' : ''}`}>
            <input type="radio" name="tf-score" value={s} checked={score === s} onChange={() => setScore(s)} class="tf-sr-only" />
            <span aria-hidden="true">★</span>
            <span class="tf-sr-only">{t('rating.score', { count: s })}</span>
          </label>
        ))}
      </fieldset>
      <label class="tf-field">
        <span class="tf-label">{t('rating.comment')}</span>
        <textarea class="tf-input tf-textarea" rows={2} maxLength={1000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </label>
      <button type="submit" class="tf-btn" disabled={!score || busy}>
        {t('rating.submit')}
      </button>
    </form>
  );
}
