import { noop, storySuggestions, storyTicketDetail } from '../../../stories/fixtures.ts';
import { withQueryData } from '../../../stories/story-providers.tsx';
import { ticketKeys } from '../api/keys.ts';
import { SuggestedReplies } from './suggested-replies.tsx';

const id = storyTicketDetail.ticket.id;

export default {
  title: 'Dashboard/Tickets/SuggestedReplies',
  component: SuggestedReplies,
  args: { ticketId: id, onInsert: noop },
  decorators: [withQueryData((client) => client.setQueryData(ticketKeys.suggestions(id), { suggestions: storySuggestions }))],
  parameters: { expectKeys: ['ticket.suggestions', 'ticket.insert', 'ticket.suggestionKind.faq', 'ticket.suggestionKind.canned'] },
};

export const Default = { args: {} };
export const Loading = { decorators: [withQueryData()], parameters: { expectKeys: ['ticket.suggestions', 'common.loading'] } };
