import { storyTicketDetail, storyTickets } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { TicketControls } from './ticket-controls.tsx';

export default {
  title: 'Dashboard/Tickets/TicketControls',
  component: TicketControls,
  args: { ticket: storyTicketDetail.ticket },
  decorators: [withQueryData()],
  parameters: { expectKeys: ['ticket.manage', 'ticket.status', 'ticket.priority', 'ticket.note', 'ticket.saveNote', 'status.resolved', 'priority.urgent'] },
};

export const Open = { args: {} };
export const Resolved = { args: { ticket: storyTickets[3] } };
