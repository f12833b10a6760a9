import { noop, storyTicketDetail } from '../../../stories/fixtures.ts';
import { ticketKeys } from '../api/keys.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { ReplyBox } from './reply-box.tsx';

export default {
  title: 'Dashboard/Tickets/ReplyBox',
  component: ReplyBox,
  args: { ticketId: storyTicketDetail.ticket.id, draft: '', onDraftChange: noop, onTyping: noop, onSent: noop, focusSignal: 0, lang: 'fr', placeholders: { customerEmail: storyTicketDetail.ticket.email, orderNumber: 'TF-1002', agentName: 'Sam' } },
  decorators: [withQueryData()],
  parameters: { expectKeys: ['ticket.replyLabel', 'ticket.replyHint', 'ticket.send'] },
};

export const Empty = { args: {} };
export const WithDraft = { args: { draft: 'Votre livreur arrive dans 5 minutes.' } };
/** Typing `/ret` lists the canned replies of the ticket's language that match. */
export const CannedSearch = {
  args: { draft: 'Bonjour, /ret' },
  decorators: [
    withQueryData((client) =>
      client.setQueryData([...ticketKeys.all, 'canned-replies', 'fr'], {
        replies: [
          { id: 'c1', lang: 'fr', shortcut: 'retard', title: 'Excuses pour le retard', body: 'Votre commande {{order.number}} arrive, {{agent.name}}.', created_at: '2026-12-01T00:00:00.000Z', updated_at: '2026-12-01T00:00:00.000Z' },
        ],
      }),
    ),
  ],
  parameters: { expectKeys: ['ticket.send'] },
};
