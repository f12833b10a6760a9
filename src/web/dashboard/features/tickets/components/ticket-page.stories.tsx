import { FRAME } from '../../../../../contracts/realtime-constants.ts';
import { storyOlderMessages, storySuggestions, storyTicketDetail } from '../../../stories/fixtures.ts';
import { withQueryData, withRealtime } from '../../../stories/story-providers.tsx';
import { ticketKeys } from '../api/keys.ts';
import { TicketPage } from './ticket-page.tsx';

const id = storyTicketDetail.ticket.id;

export default {
  title: 'Dashboard/Tickets/TicketPage',
  component: TicketPage,
  args: { ticketId: id },
  decorators: [
    withRealtime(),
    withQueryData((client) => {
      client.setQueryData(ticketKeys.detail(id), storyTicketDetail);
      client.setQueryData(ticketKeys.suggestions(id), { suggestions: storySuggestions });
      client.setQueryData([...ticketKeys.olderMessages(id), storyTicketDetail.nextCursor], storyOlderMessages);
    }),
  ],
  parameters: { expectKeys: ['ticket.back', 'ticket.manage', 'ticket.suggestions', 'ticket.details', 'ticket.linkedOrder', 'ticket.send'] },
};

export const Default = { args: {} };
/** Two agents have the ticket open and the customer is typing (frames from the story's socket). */
export const LiveCustomerTyping = {
  decorators: [
    withRealtime((channel) => [
      { type: FRAME.presence, channel, agents: 2 },
      { type: FRAME.typing, channel, author_type: 'user', typing: true },
    ]),
  ],
};
export const Loading = { decorators: [withQueryData()], parameters: { expectKeys: ['common.loading'] } };
