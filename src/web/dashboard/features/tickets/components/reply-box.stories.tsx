import { noop, storyTicketDetail } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { ReplyBox } from './reply-box.tsx';

export default {
  title: 'Dashboard/Tickets/ReplyBox',
  component: ReplyBox,
  args: { ticketId: storyTicketDetail.ticket.id, draft: '', onDraftChange: noop, onTyping: noop, onSent: noop, focusSignal: 0 },
  decorators: [withQueryData()],
  parameters: { expectKeys: ['ticket.replyLabel', 'ticket.replyHint', 'ticket.send'] },
};

export const Empty = { args: {} };
export const WithDraft = { args: { draft: 'Votre livreur arrive dans 5 minutes.' } };
