import { useEffect, useState } from 'preact/hooks';
import { useTranslation } from '../../../../lib/i18n.ts';
import { getSupportHours } from '../api/get-support-hours.ts';

/**
 * "Our team is away right now: a person will answer tomorrow from 11:00", shown under the contact form's
 * intro while support is closed (the support hours an admin set); nothing while it is open, or when the
 * server cannot be asked.
 */
export function SupportHoursNote() {
  const { t, lang } = useTranslation();
  const [nextAnswer, setNextAnswer] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    getSupportHours(lang, abort.signal)
      .then((s) => setNextAnswer(!s.open && s.nextAnswer ? s.nextAnswer : null))
      .catch(() => setNextAnswer(null));
    return () => abort.abort();
  }, [lang]);
  if (!nextAnswer) return null;
  return (
    <p class="tf-muted" role="status">
      {t('support.away', { when: nextAnswer })}
    </p>
  );
}
