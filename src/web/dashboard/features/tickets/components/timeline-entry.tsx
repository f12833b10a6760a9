import type { TimelineEntry as Entry } from '../../../../../contracts/agents.ts';
import { formatDateTime } from '../../../../staff/format.ts';
import { useTranslation } from '../../../../staff/i18n.ts';

/** What a timeline entry says, in the agent's language (notes show their text below). */
export function timelineText(entry: Entry, t: ReturnType<typeof useTranslation>['t']): string {
  const who = entry.agent?.name ?? t('timeline.system');
  switch (entry.type) {
    case 'note':
      return t('timeline.note', { who });
    case 'status':
      return t('timeline.status', { who, from: t(`status.${entry.from}`), to: t(`status.${entry.to}`) });
    case 'priority':
      return t('timeline.priority', { who, from: t(`priority.${entry.from}`), to: t(`priority.${entry.to}`) });
    case 'escalation':
      return t('timeline.escalation', { from: t(`priority.${entry.from}`), to: t(`priority.${entry.to}`), minutes: entry.waited_minutes });
    case 'assignment':
      if (entry.reason === 'agent_disabled') return t('timeline.unassignedDisabled', { name: entry.from?.name ?? '' });
      // Given by the server (AUTO_ASSIGN): no one to name as its author.
      if (entry.reason === 'round_robin' && entry.to) return t('timeline.assignedRoundRobin', { name: entry.to.name });
      return entry.to ? t('timeline.assigned', { who, name: entry.to.name }) : t('timeline.unassigned', { who });
    case 'rating':
      return t('timeline.rating', { score: entry.score });
    case 'merge':
      return t('timeline.merge', { who });
  }
}

/** One internal event between the messages: a note (private), a change, an escalation, the rating. */
export function TimelineEntry({ entry }: { entry: Entry }) {
  const { t, lang } = useTranslation();
  const text = entry.type === 'note' ? entry.body : entry.type === 'rating' ? entry.comment : null;
  return (
    <li class={`timeline-entry timeline-${entry.type}`} data-timeline={entry.type}>
      <div class="message-meta">
        <span class="timeline-text">{timelineText(entry, t)}</span>
        <time dateTime={entry.created_at}>{formatDateTime(entry.created_at, lang)}</time>
      </div>
      {text && <p class="message-body">{text}</p>}
    </li>
  );
}
