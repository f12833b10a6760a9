import { storyAgent, storyTicketDetail, storyTickets } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { TicketControls } from './ticket-controls.tsx';

export default {
  title: 'Dashboard/Tickets/TicketControls',
  component: TicketControls,
  args: { ticket: storyTicketDetail.ticket, assigneeName: null },
  decorators: [withQueryData()],
  parameters: { expectKeys: ['ticket.manage', 'ticket.status', 'ticket.priority', 'ticket.note', 'ticket.saveNote', 'ticket.noteHint', 'ticket.assignee', 'status.resolved', 'priority.urgent'] },
};

export const Open = { args: {} };
export const Resolved = { args: { ticket: storyTickets[3] } };
/** Assigned to a colleague: their name, and the button that unassigns. */
export const Assigned = {
  args: { ticket: { ...storyTicketDetail.ticket, assignee_id: storyAgent.id }, assigneeName: 'Sam' },
  parameters: { expectKeys: ['ticket.assignee', 'ticket.unassign'] },
};
