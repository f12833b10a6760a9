import type { Lang } from '../../../contracts/common.ts';
import type { Queryable } from '../../db/index.ts';

export const EMAIL_TYPES = ['created', 'agent_reply'] as const;
export type EmailType = (typeof EMAIL_TYPES)[number];

/**
 * The transactional outbox: called inside the transaction that creates the e-mail's cause (a ticket,
 * an agent's reply), so an e-mail is owed exactly when its cause was committed.
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
}
