import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../contracts/tickets.ts';
import { PriorityBadge, StatusBadge } from './badges.tsx';

export default { title: 'Dashboard/Components/Badges', component: StatusBadge, args: { status: 'open' }, parameters: { expectKeys: ['status.open'] } };

export const Status = { args: {} };
export const Priority = { render: () => <PriorityBadge priority="urgent" />, parameters: { expectKeys: ['priority.urgent'] } };
export const EveryStatus = {
  render: () => (
    <p>
      {TICKET_STATUSES.map((s) => (
        <StatusBadge key={s} status={s} />
      ))}
    </p>
  ),
  parameters: { expectKeys: TICKET_STATUSES.map((s) => `status.${s}`) },
};
export const EveryPriority = {
  render: () => (
    <p>
      {TICKET_PRIORITIES.map((p) => (
        <PriorityBadge key={p} priority={p} />
      ))}
    </p>
  ),
  parameters: { expectKeys: TICKET_PRIORITIES.map((p) => `priority.${p}`) },
};
