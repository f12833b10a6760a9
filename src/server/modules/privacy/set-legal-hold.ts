import type { Db } from '../../db/index.ts';
import { AppError } from '../../http/app-error.ts';
import { recordAccess, type PrivacyActor } from './access-record.ts';
import { setLegalHold } from './privacy.repo.ts';

/** An admin puts a ticket under legal hold (no erasure, no retention) or lifts it; recorded in the access record. */
export async function setTicketLegalHold(o: { db: Db; ticketId: string; hold: boolean; actor: PrivacyActor }): Promise<{ ticketId: string; legalHold: boolean }> {
  return o.db.transaction(async (tx) => {
    const ticket = await setLegalHold(tx, o.ticketId, o.hold);
    if (!ticket) throw new AppError('not_found', { reason: 'ticket_not_found' });
    await recordAccess(tx, { actor: o.actor, action: 'legal_hold', email: ticket.email, ticketId: o.ticketId, details: { hold: o.hold } });
    return { ticketId: o.ticketId, legalHold: o.hold };
  });
}
