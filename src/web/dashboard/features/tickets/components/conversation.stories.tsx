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
