import type { Lang } from '../../../contracts/common.ts';
import type { TicketStatus } from '../../../contracts/tickets.ts';
import type { Queryable } from '../../db/index.ts';

/** What attachments need to know of a ticket. */
export type TicketView = {
  id: string;
  lang: Lang;
  status: TicketStatus;
  /** Set on a ticket merged into another (migration 0018): it takes no file any more. */
  merged_into?: string | null;
};

/**
 * The conversation module's checks that uploads and downloads rely on. The app shell hands them over
 * (app.ts): the tickets module calls this one (a message links its attachments), so this one must not
 * import it back.
 */
export type TicketAccess = {
  /** The ticket this token opens; 401 without a token, 404 for an unknown ticket or another ticket's token. */
  authorizeTicket(q: Queryable, ticketId: string, token: string | null): Promise<TicketView>;
  findTicketById(q: Queryable, ticketId: string): Promise<TicketView | null>;
  /** The ticket, locked (FOR UPDATE) until `tx` ends. */
  lockTicket(tx: Queryable, ticketId: string): Promise<TicketView | null>;
  /** The ticket token of an `Authorization: Bearer` header, or null. */
  bearerToken(header: string | undefined): string | null;
};
