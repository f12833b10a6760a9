import type { Lang } from '../../contracts/common.ts';
import type { EmailType } from '../../contracts/email.ts';
import type { Queryable } from '../db/index.ts';

// The e-mail outbox, publishing side: like the bus (bus.ts), any module that owes an e-mail writes it
// here, inside its own transaction; modules/email only delivers (its worker claims the rows).

/** The NOTIFY channel that wakes the workers of a schema when an e-mail is queued. */
export const EMAIL_CHANNEL_SQL = `'tf_email_' || current_schema()`;

/**
 * The transactional outbox: called inside the transaction that creates the e-mail's cause (a ticket,
 * an agent's reply), so an e-mail is owed exactly when its cause was committed. The NOTIFY is
 * delivered at commit and only wakes the workers up: they would find the row at their next poll anyway.
 */
export async function enqueueEmail(
  tx: Queryable,
  e: { requestId: string; messageId?: string | null; type: EmailType; recipient: string; lang: Lang },
): Promise<void> {
  await tx.query(
    `INSERT INTO email_queue (request_id, message_id, email_type, recipient_email, lang)
     VALUES ($1, $2, $3, $4, $5)`,
    [e.requestId, e.messageId ?? null, e.type, e.recipient, e.lang],
  );
  await tx.query(`SELECT pg_notify(${EMAIL_CHANNEL_SQL}, '')`);
}

/**
 * At most this many e-mails (of any type) are queued for one address in an hour. The ticket form lets
 * anyone name any address: past the cap a new ticket still opens, but no more e-mail goes to that
 * address until the hour moves on (the form is not a way to flood a stranger's inbox).
 */
export const EMAILS_PER_RECIPIENT_PER_HOUR = 3;

/**
 * enqueueEmail, unless EMAILS_PER_RECIPIENT_PER_HOUR e-mails were already queued for the recipient in
 * the last hour: then nothing is written and false is returned. The caller serialises the writers for
 * one recipient (ticket creation holds the address's advisory lock), so parallel creations cannot overshoot.
 */
export async function enqueueEmailUnlessFlooded(
  tx: Queryable,
  e: { requestId: string; messageId?: string | null; type: EmailType; recipient: string; lang: Lang },
): Promise<boolean> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM email_queue WHERE recipient_email = $1 AND created_at > now() - interval '1 hour'`,
    [e.recipient],
  );
  if (rows[0]!.n >= EMAILS_PER_RECIPIENT_PER_HOUR) return false;
  await enqueueEmail(tx, e);
  return true;
}
