import type { AgentMessage } from '../../../contracts/agents.ts';
import type { Message, MessagePage } from '../../../contracts/tickets.ts';
import type { Db } from '../../db/index.ts';
import { attachmentsByMessage } from '../attachments/index.ts';
import { authorizeTicket } from './authorize-ticket.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { listMessagesBefore, toAgentMessage, toMessage, type MessageRow } from './messages.repo.ts';
import { refusal } from './outcomes.ts';
import { findTicketById, type TicketRow } from './tickets.repo.ts';

/** One page of a conversation: newest first in the database, oldest first on the page; `nextCursor` reaches older ones. */
async function pageOf<T extends Message>(
  db: Db,
  ticketId: string,
  limit: number,
  cursor: string | undefined,
  view: (row: MessageRow) => T,
): Promise<{ messages: T[]; hasMore: boolean; nextCursor: string | null }> {
  const beforeSeq = cursor ? decodeCursor(cursor) : null;
  const rows = await listMessagesBefore(db, ticketId, beforeSeq, limit + 1);
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit).reverse();
  const files = await attachmentsByMessage(db, page.map((row) => row.id));
  return { messages: page.map((row) => ({ ...view(row), attachments: files.get(row.id) ?? [] })), hasMore, nextCursor: hasMore && page[0] ? encodeCursor(page[0].seq) : null };
}

/** GET /api/tickets/:id/messages: a page of the conversation, for the ticket's customer. */
export async function listCustomerMessages(options: {
  db: Db;
  ticketId: string;
  token: string | null;
  limit: number;
  cursor?: string;
}): Promise<MessagePage & { ticket: TicketRow }> {
  const ticket = await authorizeTicket(options.db, options.ticketId, options.token);
  const page = await pageOf(options.db, options.ticketId, options.limit, options.cursor, (row) => toMessage(row));
  return { ticket, ...page };
}

/** GET /api/agent/tickets/:id/messages: a page of the conversation, for the staff. */
export async function listAgentMessages(options: {
  db: Db;
  ticketId: string;
  limit: number;
  cursor?: string;
}): Promise<{ messages: AgentMessage[]; hasMore: boolean; nextCursor: string | null }> {
  const beforeSeq = options.cursor ? decodeCursor(options.cursor) : null;
  const ticket = await findTicketById(options.db, options.ticketId);
  if (!ticket) throw refusal({ outcome: 'not_found' });
  return pageOf(options.db, options.ticketId, options.limit, beforeSeq === null ? undefined : options.cursor, toAgentMessage);
}
