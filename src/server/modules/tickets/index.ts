// The conversation module's public surface: the only file other modules import (enforced by
// src/import-boundaries.test.ts). It owns support_requests, support_messages, ticket_access_tokens,
// agent_actions and the ratings: every statement on them is in this folder's *.repo.ts or in
// migrations/functions/. One use case a file; docs/architecture.md walks from a route to its SQL.

// HTTP: the customer's API (token) and the staff's (session).
export { customerTicketRoutes } from './customer.routes.ts';
export { agentTicketRoutes } from './agent.routes.ts';

// Use cases.
export { createTicket, TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY, type CreatedTicket } from './create-ticket.ts';
export { authorizeTicket, getTicket } from './authorize-ticket.ts';
export { appendMessage } from './append-message.ts';
export { sendCustomerMessage } from './send-customer-message.ts';
export { listAgentMessages, listCustomerMessages } from './list-messages.ts';
export { replyAsAgent } from './reply-as-agent.ts';
export { updateTicket } from './update-ticket.ts';
export { rateTicket } from './rate-ticket.ts';
export { listTicketQueue } from './list-ticket-queue.ts';
export { getAgentTicket } from './get-agent-ticket.ts';
export { getTicketSuggestions } from './get-ticket-suggestions.ts';
export { runEscalationOnce, startEscalationScheduler, type Escalation } from './escalate-overdue.ts';

// Outcomes: the one place they become AppErrors; Retry-After of a full window.
export { refusal, secondsUntilOutOfWindow, type TicketRefusal } from './outcomes.ts';

// Tokens: the customer's secret, the Authorization header, the links of e-mails.
export { bearerToken, hashTicketToken, newTicketToken } from './ticket-token.ts';
export { deleteExpiredAccessTokens, EMAIL_LINK_TTL_DAYS, mintEmailLinkTokens } from './access-tokens.repo.ts';

// Reads for the modules that show or deliver the conversation (realtime, attachments, e-mail).
export {
  findLastMessageSeq,
  findTicketById,
  listLastMessageSeqs,
  listTicketsUpdatedSince,
  lockTicket,
  setTicketStatus,
  toAgentTicket,
  toTicket,
  type TicketRow,
} from './tickets.repo.ts';
export {
  findMessageById,
  findMessageSeq,
  insertMessage,
  listMessagesAfter,
  toAgentMessage,
  toMessage,
  type MessageReader,
  type MessageRow,
} from './messages.repo.ts';
export { decodeCursor, encodeCursor } from './cursor.ts';
export { sendEmailedCustomerMessage } from './send-emailed-message.ts';
// @mentions of internal notes (served by realtime's team routes, alerted on the team channel).
export { findMentionById, listMentions, markMentionsRead } from './mentions.repo.ts';
export { isCustomerAnswer } from './customer-answer.repo.ts';
