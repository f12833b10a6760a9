import { useTranslation } from '../../lib/i18n.ts';
import type { RealtimeState } from '../../lib/realtime-client.ts';

/** How the badge shows each state of the link; `closed`: the conversation has not subscribed yet. */
const LOOK: Record<RealtimeState, string> = {
  connecting: 'connecting',
  open: 'connected',
  reconnecting: 'reconnecting',
  offline: 'offline',
  closed: 'connecting',
};

/** The visible connection state of the live conversation (text, not only a colour). */
export function ConnectionBadge({ state }: { state: RealtimeState }) {
  const { t } = useTranslation();
  const look = LOOK[state];
  return (
    <span class={`tf-conn tf-conn--${look}`} role="status">
      <span class="tf-conn__dot" aria-hidden="true" />
      {t(`common:connection.${look}`)}
    </span>
  );
}
