import { useTranslation } from '../i18n.ts';
import type { TicketPriority, TicketStatus } from '../../../contracts/tickets.ts';

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return <span class={`badge badge-status-${status}`}>{t(`status.${status}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <span class={`badge badge-priority-${priority}`}>
      <span class="badge-dot" aria-hidden="true" />
      {t(`priority.${priority}`)}
    </span>
  );
}
