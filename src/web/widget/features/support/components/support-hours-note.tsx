import { useEffect, useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';
import { getSupportHours } from '../api/get-support-hours.ts';

/**
 * When a person usually answers, under the contact form's intro (and so in the thread's handoff): while
 * support is closed, "Our team is away right now: a person will answer tomorrow from 11:00" (the support
 * hours an admin set); while it is open, "A person usually answers in about 12 min" (the median first
 * response of the last 7 days, in minutes, or hours from 90 minutes); nothing without either, or when the
 * server cannot be asked.
 */
export function SupportHoursNote() {
  const { t, lang } = useTranslation();
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    getSupportHours(lang, abort.signal)
      .then(({ open, nextAnswer, medianFirstResponseSeconds: s }) =>
        setNote(
          !open
            ? nextAnswer ? t('support.away', { when: nextAnswer }) : null
            : s === undefined
              ? null
              : s < 5400
                ? t('support.usual_wait', { minutes: Math.max(1, Math.round(s / 60)) })
                : t('support.usual_wait_hours', { hours: Math.round(s / 3600) }),
        ),
      )
      .catch(() => setNote(null));
    return () => abort.abort();
  }, [lang]);
  return note ? (
    <p class="tf-muted" role="status">
      {note}
    </p>
  ) : null;
}
