import { useTranslation } from '../i18n.ts';
import { ApiError } from '../http.ts';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div class="state" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

/** A failed query: the server's localised message for 4xx, a generic one otherwise, and a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  let message = t('errors.generic');
  if (error instanceof ApiError) {
    if (error.status === 0) message = t('errors.network');
    else if (error.status === 403) message = t('errors.forbidden');
    else if (error.status === 404) message = t('errors.notFound');
    else if (error.status < 500) message = error.message;
  }
  return (
    <div class="state state-error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ children }: { children: string }) {
  return <div class="state state-empty">{children}</div>;
}
