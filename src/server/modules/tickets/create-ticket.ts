import type { Lang } from '../../../contracts/common.ts';
import { LIMITS, type CreateTicketBody, type Ticket } from '../../../contracts/tickets.ts';
import type { Db } from '../../db/index.ts';
import { BUS_EVENTS, publishAfterCommit, publishEvent } from '../../events/bus.ts';
import { enqueueEmailUnlessFlooded } from '../../events/email-outbox.ts';
import { insertAnalyticsEvent } from '../analytics/index.ts';
import { classifyIntent, detectConfidentLanguage } from '../bot/index.ts';
import { outOfHoursReply } from '../locations/index.ts';
import { handOverThread } from '../chat/index.ts';
import { CREATE_RETRY_WINDOW_SECONDS, openCreateRetry, sealCreateRetry } from './create-retry.ts';
import { insertMessage } from './messages.repo.ts';
import { refusal, secondsUntilOutOfWindow } from './outcomes.ts';
import { newTicketToken } from './ticket-token.ts';
import {
  countRecentTickets,
  findLanguagePreference,
  findTicketById,
  findTicketByOpeningClientId,
  insertLanguagePreferenceIfNone,
  insertTicket,
  lockEmail,
  markOpenedFromThread,
  setCreateRetryBox,
  toTicket,
  type TicketRow,
} from './tickets.repo.ts';

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Of an e-mail address's daily tickets (LIMITS.ticketsPerEmailPerDay, 5), how many one client address
 * may open: a stranger typing a customer's e-mail from one address can spend 3, never all 5; the
 * customer keeps the rest (an attacker needs two addresses to use them all).
 */
export const TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY = 3;

export type CreatedTicket = { ticket: Ticket; token: string; replayed: boolean };

/**
 * Opens a ticket: its row, its opening message, its analytics row, its `created` e-mail in the
 * outbox and its bus event are written in one transaction. The per-address daily limits are checked
 * inside that transaction under an advisory lock, so parallel requests cannot overshoot them.
 *
 * A retry with the same clientId (the first answer was lost) answers 200 with the same ticket and the
 * same token only when it repeats the first request's `clientSecret` within CREATE_RETRY_WINDOW_SECONDS;
 * anyone else (the clientId alone is no secret) gets 409 and no token, and the customer's token stays.
 */
export async function createTicket(options: {
  db: Db;
  input: CreateTicketBody;
  fallbackLang: Lang;
  /** The client's address (request.ip); null for the server's own tickets (demo data). */
  clientAddress?: string | null;
}): Promise<CreatedTicket> {
  const { db, input, fallbackLang } = options;
  const clientAddress = options.clientAddress ?? null;
  return db.transaction(async (tx) => {
    await lockEmail(tx, input.email);

    if (input.clientId) {
      const existing = await findTicketByOpeningClientId(tx, input.email, input.clientId);
      if (existing) return { ticket: toTicket(existing), token: retriedToken(existing, input.clientSecret), replayed: true };
    }

    // Explicit choice, then remembered preference, then what the message is clearly written in,
    // then the browser's language (fallbackLang).
    const lang =
      input.lang ??
      (await findLanguagePreference(tx, input.email)) ??
      detectConfidentLanguage(input.message) ??
      fallbackLang;
    const recent = await countRecentTickets(tx, input.email, clientAddress, DAY_SECONDS);
    const fromAddressFull = clientAddress !== null && recent.fromAddress >= TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY;
    if (recent.count >= LIMITS.ticketsPerEmailPerDay || fromAddressFull) {
      throw refusal({
        outcome: 'ticket_limit',
        lang,
        retryAfterSeconds: secondsUntilOutOfWindow(
          recent.count >= LIMITS.ticketsPerEmailPerDay ? recent.oldest : recent.oldestFromAddress,
          DAY_SECONDS,
        ),
      });
    }

    const { token, hash } = newTicketToken();
    const row = await insertTicket(tx, {
      email: input.email,
      message: input.message,
      lang,
      tokenHash: hash,
      orderNumber: input.orderNumber ?? null,
      openedFrom: clientAddress,
    });
    if (input.clientId && input.clientSecret) {
      await setCreateRetryBox(tx, row.id, sealCreateRetry(token, input.clientSecret, row.id));
    }
    // Opened from the chat thread: what the customer asked the bot and what it answered come first, in
    // order, so the agent sees the whole exchange (an unknown or expired token adds nothing). The ticket
    // records the handoff, in the transaction that links the thread to it: the bot may answer in it while
    // it waits for a person (docs/chatbot.md, "While waiting for a person").
    const turns = input.conversationToken ? await handOverThread(tx, { conversationToken: input.conversationToken, ticketId: row.id }) : null;
    if (turns) {
      await markOpenedFromThread(tx, row.id);
      for (const turn of turns) {
        const m = await insertMessage(tx, { requestId: row.id, authorType: turn.authorType, body: turn.body, clientId: null });
        publishAfterCommit(tx, { type: BUS_EVENTS.messageCreated, ticketId: row.id, messageId: m.id, seq: m.seq });
      }
    }
    // Also records its message_sent row; its message.created event goes out after commit.
    const first = await insertMessage(tx, {
      requestId: row.id,
      authorType: 'user',
      body: input.message,
      clientId: input.clientId ?? null,
    });
    publishAfterCommit(tx, { type: BUS_EVENTS.messageCreated, ticketId: row.id, messageId: first.id, seq: first.seq });
    // Opened while support is closed: one automatic reply saying when a person will answer (a retried
    // creation returns above, so a ticket never gets two).
    const awayReply = await outOfHoursReply(tx, lang);
    if (awayReply) {
      const m = await insertMessage(tx, { requestId: row.id, authorType: 'system', body: awayReply, clientId: null });
      publishAfterCommit(tx, { type: BUS_EVENTS.messageCreated, ticketId: row.id, messageId: m.id, seq: m.seq });
    }
    // The first language given for an address is the customer's; anyone typing that address later (a
    // stranger among them) sets only their own ticket's language.
    if (input.lang) await insertLanguagePreferenceIfNone(tx, input.email, input.lang);
    await insertAnalyticsEvent(tx, {
      metricType: 'ticket_created',
      requestId: row.id,
      userIntent: classifyIntent(input.message),
      metadata: { source: 'web', order_number: row.order_number },
    });
    // Past the hourly cap per recipient the ticket opens all the same, without its e-mail.
    await enqueueEmailUnlessFlooded(tx, { requestId: row.id, type: 'created', recipient: row.email, lang });
    await publishEvent(tx, { type: BUS_EVENTS.ticketCreated, ticketId: row.id });
    const fresh = await findTicketById(tx, row.id);
    return { ticket: toTicket(fresh!), token, replayed: false };
  });
}

/** The token of a retried creation, for its author only (see createTicket); 409 for anyone else. */
function retriedToken(existing: TicketRow, clientSecret: string | undefined): string {
  const ageSeconds = (Date.now() - existing.created_at.getTime()) / 1000;
  const token =
    clientSecret && existing.create_retry_box && ageSeconds <= CREATE_RETRY_WINDOW_SECONDS
      ? openCreateRetry(existing.create_retry_box, clientSecret, existing.id)
      : null;
  if (!token) throw refusal({ outcome: 'client_id_taken' });
  return token;
}
