import { useTranslation } from '../../lib/i18n.ts';

export type ConnectionStatus = 'connected' | 'connecting' | 'reconnecting' | 'offline';

/** The visible connection state of the live conversation (text, not only a colour). */
export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const { t } = useTranslation();
  return (
    <span class={`tf-conn tf-conn--${status}`} role="status">
      <span class="tf-conn__dot" aria-hidden="true" />
      {t(`common:connection.${status}`)}
    </span>
  );
}
