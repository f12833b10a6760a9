import { FRAME } from '../../../../../contracts/realtime-constants.ts';
import { storyOlderMessages, storySuggestions, storyTicketDetail } from '../../../stories/fixtures.ts';
import { withQueryData, withRealtime } from '../../../stories/story-providers.tsx';
import { ticketKeys } from '../api/keys.ts';
import { TicketPage } from './ticket-page.tsx';

const id = storyTicketDetail.ticket.id;
const KEPT_TICKET_ID = '7d4c9a10-3b2e-4f61-9a8d-2c5e8f1b0a47';

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
/** Merged into another ticket: where the conversation went, and nothing to reply, change or suggest. */
const mergedDetail = { ...storyTicketDetail, ticket: { ...storyTicketDetail.ticket, status: 'closed' as const, merged_into: KEPT_TICKET_ID } };
export const Merged = {
  decorators: [withQueryData((client) => client.setQueryData(ticketKeys.detail(id), mergedDetail))],
  parameters: { expectKeys: ['ticket.back', 'customerPanel.mergedInto', 'customerPanel.openKept', 'ticket.details'] },
};
export const Loading = { decorators: [withQueryData()], parameters: { expectKeys: ['common.loading'] } };
