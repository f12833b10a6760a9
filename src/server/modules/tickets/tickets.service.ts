import type { Lang } from '../../../contracts/common.ts';
import { LIMITS, type CreateTicketBody, type Ticket } from '../../../contracts/tickets.ts';
import type { Db, Queryable } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { insertAnalyticsEvent } from '../analytics/analytics.repo.ts';
import { classifyIntent, detectConfidentLanguage } from '../bot/bot-model.ts';
import { isTicketAccessToken } from '../email/access-tokens.repo.ts';
import { enqueueEmail } from '../email/email.repo.ts';
import { insertMessage } from '../messages/messages.repo.ts';
import { BUS_EVENTS, publishAfterCommit, publishEvent } from '../realtime/bus.ts';
import { newTicketToken, tokenMatches } from './ticket-token.ts';
import {
  countRecentTickets,
  findLanguagePreference,
  findTicketById,
  findTicketByOpeningClientId,
  insertTicket,
  lockEmail,
  setTokenHash,
  toTicket,
  upsertLanguagePreference,
  type TicketRow,
} from './tickets.repo.ts';

const DAY_SECONDS = 24 * 60 * 60;

export type CreatedTicket = { ticket: Ticket; token: string; replayed: boolean };

/**
 * Opens a ticket: its row, its opening message, its analytics row, its `created` e-mail in the
 * outbox and its bus event are written in one transaction. The per-address daily limit is checked
 * inside that transaction under an advisory lock, so parallel requests cannot overshoot it.
 * A retry with the same clientId returns the same ticket (with a fresh token: the first answer was lost).
 */
export async function createTicket(options: {
  db: Db;
  input: CreateTicketBody;
  fallbackLang: Lang;
}): Promise<CreatedTicket> {
  const { db, input, fallbackLang } = options;
  return db.transaction(async (tx) => {
    await lockEmail(tx, input.email);

    if (input.clientId) {
      const existing = await findTicketByOpeningClientId(tx, input.email, input.clientId);
      if (existing) {
        const { token, hash } = newTicketToken();
        const row = await setTokenHash(tx, existing.id, hash);
        return { ticket: toTicket(row), token, replayed: true };
      }
    }

    // Explicit choice, then remembered preference, then what the message is clearly written in,
    // then the browser's language (fallbackLang).
    const lang =
      input.lang ??
      (await findLanguagePreference(tx, input.email)) ??
      detectConfidentLanguage(input.message) ??
      fallbackLang;
    const recent = await countRecentTickets(tx, input.email, DAY_SECONDS);
    if (recent.count >= LIMITS.ticketsPerEmailPerDay) {
      throw new AppError('rate_limited', {
        reason: 'ticket_limit',
        lang,
        retryAfterSeconds: secondsUntilOutOfWindow(recent.oldest, DAY_SECONDS),
      });
    }

    const { token, hash } = newTicketToken();
    const row = await insertTicket(tx, {
      email: input.email,
      message: input.message,
      lang,
      tokenHash: hash,
      orderNumber: input.orderNumber ?? null,
    });
    // Also records its message_sent row; its message.created event goes out after commit.
    const first = await insertMessage(tx, {
      requestId: row.id,
      authorType: 'user',
      body: input.message,
      clientId: input.clientId ?? null,
    });
    publishAfterCommit(tx, { type: BUS_EVENTS.messageCreated, ticketId: row.id, messageId: first.id, seq: first.seq });
    if (input.lang) await upsertLanguagePreference(tx, input.email, input.lang);
    await insertAnalyticsEvent(tx, {
      metricType: 'ticket_created',
      requestId: row.id,
      userIntent: classifyIntent(input.message),
      metadata: { source: 'web', order_number: row.order_number },
    });
    await enqueueEmail(tx, { requestId: row.id, type: 'created', recipient: row.email, lang });
    await publishEvent(tx, { type: BUS_EVENTS.ticketCreated, ticketId: row.id });
    const fresh = await findTicketById(tx, row.id);
    return { ticket: toTicket(fresh!), token, replayed: false };
  });
}

/**
 * The ticket a customer may see with this token (the ticket's own, or an e-mailed link's). A missing
 * token is 401; an unknown ticket and a token of another ticket are the same 404, so a token never
 * reveals whether a ticket id exists.
 */
export async function authorizeTicket(q: Queryable, ticketId: string, token: string | null): Promise<TicketRow> {
  if (!token) throw new AppError('unauthorized', { reason: 'token_required' });
  const row = await findTicketById(q, ticketId);
  if (!row) throw new AppError('not_found', { reason: 'ticket_not_found' });
  // The ticket's own token, or the link of one of its e-mails (modules/email/access-tokens.repo.ts).
  if (!tokenMatches(token, row.token_hash) && !(await isTicketAccessToken(q, ticketId, token))) {
    throw new AppError('not_found', { reason: 'ticket_not_found' });
  }
  return row;
}

export async function getTicket(options: { db: Db; ticketId: string; token: string | null }): Promise<Ticket> {
  return toTicket(await authorizeTicket(options.db, options.ticketId, options.token));
}

/** Seconds until the oldest event of a full window leaves it (for Retry-After). */
export function secondsUntilOutOfWindow(oldest: Date | null, windowSeconds: number): number {
  if (!oldest) return windowSeconds;
  return Math.max(1, Math.ceil((oldest.getTime() + windowSeconds * 1000 - Date.now()) / 1000));
}
