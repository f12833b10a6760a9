import { storyTicketDetail } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { Conversation } from './Conversation.tsx';

export default {
  title: 'Dashboard/Tickets/Conversation',
  component: Conversation,
  args: { detail: storyTicketDetail, customerTyping: false },
  decorators: [withQueryData()],
  parameters: { expectKeys: ['author.user', 'author.bot', 'author.agent', 'ticket.loadOlder'] },
};

export const Default = { args: {} };
export const CustomerTyping = { args: { customerTyping: true }, parameters: { expectKeys: ['ticket.customerTyping'] } };
export const WholeConversation = {
  args: { detail: { ...storyTicketDetail, hasMore: false, nextCursor: null } },
  parameters: { expectKeys: ['ticket.start', 'author.agent'] },
};
