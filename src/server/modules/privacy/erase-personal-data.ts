import type { ErasedCounts } from '../../../contracts/privacy.ts';
import type { Db } from '../../db/index.ts';
import { publishTicketTokenRevoked } from '../../events/bus.ts';
import { AppError } from '../../http/app-error.ts';
import { sweepDeletedObjects, type AttachmentStore } from '../attachments/index.ts';
import { maskText } from '../bot/index.ts';
import { recordAccess, type PrivacyActor } from './access-record.ts';
import { compactAfterErasure } from './compact-after-erasure.ts';
import { addressPattern, ERASED_MARKER, erasedAddress, pseudonymOf } from './pseudonym.ts';
import {
  deleteLanguagePreference,
  deleteNotedQuestions,
  deletePrivacyRequestsOf,
  heldTickets,
  listCustomerTurnTexts,
  listTicketsOfAddress,
  pseudonymiseOrders,
  scrubLogs,
  scrubTickets,
} from './privacy.repo.ts';

/**
 * Erases everything kept about one address, in one transaction: the tickets' messages, notes, first
 * messages and bot threads become a marker and their address a one-way pseudonym (the rows stay, so
 * analytics keep their counts); attachments, e-mails, the dev mailbox's copies, access links and pending
 * privacy requests are deleted; orders keep their items but lose the address; error logs and client
 * metrics lose every mention of it; the questions the bot noted from these conversations are deleted
 * (unless an admin taught them to the bot). Refused with 409 `legal_hold` when a ticket is under legal
 * hold: nothing is erased then. Live widgets of these tickets are disconnected (their tokens are revoked).
 */
export async function erasePersonalData(o: { db: Db; store: AttachmentStore; email: string; actor: PrivacyActor }): Promise<ErasedCounts> {
  const { db, email } = o;
  const pseudonym = await pseudonymOf(db, email);
  const counts = await db.transaction(async (tx) => {
    const tickets = await listTicketsOfAddress(tx, email, { forUpdate: true });
    const held = heldTickets(tickets);
    if (held.length) throw new AppError('conflict', { reason: 'legal_hold', details: { tickets: held } });
    const ticketIds = tickets.map((t) => t.id);
    const masked = [...new Set((await listCustomerTurnTexts(tx, ticketIds)).map(maskText))];
    const botQuestions = await deleteNotedQuestions(tx, masked);
    const scrubbed = await scrubTickets(tx, { ticketIds, email, erasedAddress: erasedAddress(pseudonym), marker: ERASED_MARKER });
    const orders = await pseudonymiseOrders(tx, email, erasedAddress(pseudonym));
    const logs = await scrubLogs(tx, addressPattern(email));
    await deletePrivacyRequestsOf(tx, email);
    await deleteLanguagePreference(tx, email);
    for (const id of ticketIds) await publishTicketTokenRevoked(tx, id);
    const result: ErasedCounts = { tickets: ticketIds.length, ...scrubbed, botQuestions, orders, ...logs };
    await recordAccess(tx, { actor: o.actor, action: 'erase', email, details: result });
    return result;
  });
  await sweepDeletedObjects(db, o.store);
  await compactAfterErasure(db);
  return counts;
}
