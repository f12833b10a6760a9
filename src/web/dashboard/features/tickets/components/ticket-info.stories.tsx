import { storyTicketDetail, storyTickets } from '../../../stories/fixtures.ts';
import { TicketInfo } from './ticket-info.tsx';

export default {
  title: 'Dashboard/Tickets/TicketInfo',
  component: TicketInfo,
  args: { detail: storyTicketDetail },
  parameters: { expectKeys: ['ticket.details', 'ticket.customer', 'ticket.lastAgentReply', 'languages.fr'] },
};

export const WithLinkedOrder = { args: {}, parameters: { expectKeys: ['ticket.linkedOrder', 'ticket.orderEta', 'orderStatus.out_for_delivery', 'orderStatus.preparing'] } };
export const WithoutOrder = {
  args: { detail: { ...storyTicketDetail, ticket: storyTickets[1], order: null } },
  parameters: { expectKeys: ['ticket.noReplyYet', 'languages.en'] },
};
