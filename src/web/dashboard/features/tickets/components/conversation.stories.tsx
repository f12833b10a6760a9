import { storyOlderMessages, storyTicketDetail } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { ticketKeys } from '../api/keys.ts';
import { Conversation } from './conversation.tsx';

const id = storyTicketDetail.ticket.id;

export default {
  title: 'Dashboard/Tickets/Conversation',
  component: Conversation,
  args: { detail: storyTicketDetail, customerTyping: false },
  // The older page is already loaded: scrolled to the top, the conversation asks the API for nothing.
  decorators: [withQueryData((client) => client.setQueryData([...ticketKeys.olderMessages(id), storyTicketDetail.nextCursor], storyOlderMessages))],
  parameters: { expectKeys: ['author.user', 'author.bot', 'author.agent', 'ticket.start'] },
};

export const Default = { args: {} };
export const CustomerTyping = { args: { customerTyping: true }, parameters: { expectKeys: ['ticket.customerTyping'] } };

// A customer's message that came by e-mail from another address than the ticket's (flagged), with its checks.
const emailed = storyTicketDetail.messages.find((m) => m.author_type === 'user')!;
export const RepliedByEmail = {
  args: {},
  decorators: [
    withQueryData((client) => {
      client.setQueryData([...ticketKeys.olderMessages(id), storyTicketDetail.nextCursor], storyOlderMessages);
      client.setQueryData([...ticketKeys.all, 'emails', id], {
        emails: [
          {
            message_id: emailed.id,
            from: 'colleague@example.com',
            sender_matches: false,
            signed_address: true,
            via: 'smtp',
            spf: 'pass',
            dkim: 'pass',
            dmarc: 'none',
            created_at: emailed.created_at,
          },
        ],
      });
    }),
  ],
  parameters: { expectKeys: ['ticket.emailChecks', 'ticket.emailStranger'] },
};
