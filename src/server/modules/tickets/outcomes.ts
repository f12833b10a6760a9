import type { Lang } from '../../../contracts/common.ts';
import { ticketRef } from '../../../contracts/tickets.ts';
import { AppError } from '../../http/app-error.ts';

/**
 * Why the conversation refuses something. Use cases and the SQL functions name the outcome; this file is
 * the one place an outcome becomes an AppError (its code, hence its HTTP status, and its reason, hence
 * its message: src/contracts/errors.ts, locales/<lang>/errors.json).
 */
export type TicketRefusal =
  /** No token sent where a customer's is needed: 401. */
  | { outcome: 'token_required' }
  /** Unknown ticket, or a token that does not open it (the same answer, on purpose): 404. */
  | { outcome: 'not_found' }
  /** A customer's message on a closed ticket: 409. */
  | { outcome: 'closed'; lang: Lang }
  /** The customer's hourly messages (LIMITS.messagesPerTicketPerHour): 429. */
  | { outcome: 'message_limit'; lang: Lang; retryAfterSeconds: number }
  /** The address's daily tickets (LIMITS.ticketsPerEmailPerDay, or its share from one client address): 429. */
  | { outcome: 'ticket_limit'; lang: Lang; retryAfterSeconds: number }
  /** A rating of a ticket that is neither resolved nor closed: 409. */
  | { outcome: 'not_resolved'; lang: Lang }
  /** A second rating: 409. */
  | { outcome: 'already_rated'; lang: Lang }
  /** A clientId already used by someone else's request (a creation without its secret, a customer's message): 409. */
  | { outcome: 'client_id_taken' }
  /**
   * Any change, message, note or rating on a ticket merged into another (`into`): 409. Its conversation
   * lives in the kept ticket now, which the message names; `details.merged_into` gives its id. No `lang`:
   * the caller's language (an agent's).
   */
  | { outcome: 'merged'; into: string; lang?: Lang };

export function refusal(r: TicketRefusal): AppError {
  switch (r.outcome) {
    case 'token_required':
      return new AppError('unauthorized', { reason: 'token_required' });
    case 'not_found':
      return new AppError('not_found', { reason: 'ticket_not_found' });
    case 'closed':
      return new AppError('conflict', { reason: 'ticket_closed', lang: r.lang });
    case 'message_limit':
      return new AppError('rate_limited', { reason: 'message_limit', lang: r.lang, retryAfterSeconds: r.retryAfterSeconds });
    case 'ticket_limit':
      return new AppError('rate_limited', { reason: 'ticket_limit', lang: r.lang, retryAfterSeconds: r.retryAfterSeconds });
    case 'not_resolved':
      return new AppError('conflict', { reason: 'rating_not_resolved', lang: r.lang });
    case 'already_rated':
      return new AppError('conflict', { reason: 'already_rated', lang: r.lang });
    case 'client_id_taken':
      return new AppError('conflict');
    case 'merged':
      return new AppError('conflict', {
        reason: 'ticket_merged',
        lang: r.lang,
        params: { ticket: ticketRef(r.into) },
        details: { merged_into: r.into },
      });
  }
}

/** Seconds until the oldest event of a full window leaves it (for Retry-After). */
export function secondsUntilOutOfWindow(oldest: Date | null, windowSeconds: number): number {
  if (!oldest) return windowSeconds;
  return Math.max(1, Math.ceil((oldest.getTime() + windowSeconds * 1000 - Date.now()) / 1000));
}
