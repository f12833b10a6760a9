import { errorText, useTranslation } from '../../lib/i18n.ts';

/** A failed call, in the customer's words (docs/widget.md), announced to screen readers. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div class="tf-error" role="alert">
      <p>{errorText(t, error)}</p>
      {onRetry && (
        <button type="button" class="tf-link" onClick={onRetry}>
          {t('common:retry')}
        </button>
      )}
    </div>
  );
}
