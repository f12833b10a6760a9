import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import { PriorityBadge, StatusBadge } from '../../../../staff/components/badges.tsx';
import { ErrorState, Loading } from '../../../../staff/components/states.tsx';
import { useMe } from '../../../../staff/api/get-me.ts';
import { Link } from '../../../lib/router.tsx';
import { useTicket } from '../api/get-ticket.ts';
import { useReplyCollision } from '../hooks/use-reply-collision.ts';
import { useTicketLive } from '../hooks/use-ticket-live.ts';
import { presenceLabel } from '../presence-label.ts';
import { Conversation } from './conversation.tsx';
import { CustomerPanel } from './customer-panel.tsx';
import { ReplyBox } from './reply-box.tsx';
import { ReplyCollision } from './reply-collision.tsx';
import { SuggestedReplies } from './suggested-replies.tsx';
import { TicketControls } from './ticket-controls.tsx';
import { TicketInfo } from './ticket-info.tsx';

export function TicketPage({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const query = useTicket(ticketId);
  const me = useMe().data ?? null;
  const live = useTicketLive(ticketId, query.data !== undefined);
  const collision = useReplyCollision(ticketId, me?.id ?? null, query.data?.messages ?? [], query.data !== undefined);
  const [draft, setDraft] = useState('');
  const [focusSignal, setFocusSignal] = useState(0);

  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const detail = query.data;
  const { ticket } = detail;

  const lastAssignment = detail.timeline.findLast((e) => e.type === 'assignment');
  const assigneeName = lastAssignment?.type === 'assignment' ? (lastAssignment.to?.name ?? null) : null;

  const insert = (text: string) => {
    setDraft((d) => (d.trim() ? `${d.trimEnd()}\n\n${text}` : text));
    setFocusSignal((n) => n + 1);
  };

  return (
    <div class="page ticket-page">
      <header class="page-header">
        <div>
          <Link to="/" class="back-link">
            ← {t('ticket.back')}
          </Link>
          <h1>{t('ticket.title', { email: ticket.email })}</h1>
          <p class="header-meta">
            <StatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
            {live.viewers !== null && (
              <span class="presence" aria-live="polite">
                <span class="presence-dot" aria-hidden="true" />
                {presenceLabel(live.viewers, t)}
              </span>
            )}
          </p>
          {ticket.merged_into && (
            <p class="merged-notice" role="note">
              {t('customerPanel.mergedInto')} <Link to={`/tickets/${ticket.merged_into}`}>{t('customerPanel.openKept')}</Link>
            </p>
          )}
        </div>
      </header>
      <div class="ticket-layout">
        <section class="card conversation-card" aria-label={t('ticket.conversation')}>
          <Conversation detail={detail} customerTyping={live.customerTyping} />
          {/* A merged ticket takes no reply, note or change (the server answers 409): its conversation goes on in the kept ticket, linked above. */}
          {!ticket.merged_into && (
            <>
              <ReplyCollision collision={collision} />
              <ReplyBox
                ticketId={ticket.id}
                draft={draft}
                onDraftChange={setDraft}
                onTyping={live.notifyTyping}
                onSent={live.stopTyping}
                focusSignal={focusSignal}
                lang={ticket.lang}
                placeholders={{ customerEmail: ticket.email, orderNumber: detail.order?.number ?? ticket.order_number, agentName: me?.name ?? null }}
              />
            </>
          )}
        </section>
        <aside class="ticket-side">
          {!ticket.merged_into && <TicketControls ticket={ticket} assigneeName={assigneeName} />}
          {!ticket.merged_into && <SuggestedReplies ticketId={ticket.id} onInsert={insert} />}
          <TicketInfo detail={detail} />
          <CustomerPanel ticket={ticket} />
        </aside>
      </div>
    </div>
  );
}
