import type { Lang } from '../../../contracts/common.ts';
import type { EmailStatus, EmailType } from '../../../contracts/email.ts';
import type { Queryable } from '../../db/index.ts';
import { deleteExpiredAccessTokens } from '../tickets/index.ts';

export { EMAIL_STATUSES, EMAIL_TYPES, type EmailStatus, type EmailType } from '../../../contracts/email.ts';

// Queuing an e-mail is the publishing side of the outbox, used by the modules that owe one:
// src/server/events/email-outbox.ts. This module claims, sends and reports.
export {
  EMAIL_CHANNEL_SQL,
  EMAILS_PER_RECIPIENT_PER_HOUR,
  enqueueEmail,
  enqueueEmailUnlessFlooded,
} from '../../events/email-outbox.ts';

/** A claimed e-mail with what its template needs. */
export type ClaimedEmail = {
  id: string;
  /** The ticket; null for a privacy request's confirmation (privacy_request_id then). */
  request_id: string | null;
  privacy_request_id: string | null;
  message_id: string | null;
  email_type: EmailType;
  recipient_email: string;
  lang: Lang;
  retry_count: number;
  /** The agent's reply (for `agent_reply`); null if that message is gone. */
  reply_body: string | null;
  /** The outbox row of the ticket's first e-mail (its Message-ID heads the thread); null for that one itself. */
  thread_root_id: string | null;
};

/**
 * Claims up to `limit` due e-mails for `owner` for `leaseSeconds`, returned in queue order (when each was
 * queued). Rows locked by another claim right now are skipped (SKIP LOCKED), and rows under a live lease
 * are not due: two workers never hold the same row at once. A lease that expired (its worker died) makes
 * the row due again.
 */
export async function claimDueEmails(
  tx: Queryable,
  c: { owner: string; leaseSeconds: number; limit: number },
): Promise<ClaimedEmail[]> {
  const { rows } = await tx.query<ClaimedEmail>(
    `WITH due AS (
       SELECT id FROM email_queue
        WHERE status = 'pending' AND next_retry_at <= now()
          AND (locked_until IS NULL OR locked_until < now())
        ORDER BY next_retry_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE email_queue q
          SET locked_until = now() + make_interval(secs => $2::float8), locked_by = $3
         FROM due
        WHERE q.id = due.id
       RETURNING q.id, q.request_id, q.privacy_request_id, q.message_id, q.email_type, q.recipient_email, q.lang, q.retry_count,
                 q.created_at,
                 (SELECT m.body FROM support_messages m WHERE m.id = q.message_id) AS reply_body,
                 (SELECT r.id FROM email_queue r WHERE r.request_id = q.request_id AND r.id <> q.id AND r.created_at <= q.created_at
                   ORDER BY r.created_at, r.id LIMIT 1) AS thread_root_id
     )
     SELECT id, request_id, privacy_request_id, message_id, email_type, recipient_email, lang, retry_count, reply_body, thread_root_id
       FROM claimed ORDER BY created_at, id`,
    [c.limit, c.leaseSeconds, c.owner],
  );
  return rows;
}

/** Marks an e-mail sent, only while `owner` still holds it: false when another worker took it over. */
export async function markEmailSent(q: Queryable, id: string, owner: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE email_queue
        SET status = 'sent', sent_at = now(), last_attempt_at = now(), locked_until = NULL, locked_by = NULL
      WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
    [id, owner],
  );
  return rowCount === 1;
}

/**
 * Records a failed attempt that may succeed later: the next try is due after
 * baseSeconds × 2^(attempts before this one); the attempt number maxAttempts ends in `failed`.
 */
export async function markEmailRetry(
  q: Queryable,
  r: { id: string; owner: string; error: string; baseSeconds: number; maxAttempts: number },
): Promise<{ status: EmailStatus; retry_count: number } | null> {
  const { rows } = await q.query<{ status: EmailStatus; retry_count: number }>(
    `UPDATE email_queue
        SET retry_count = retry_count + 1,
            last_error = $3,
            last_attempt_at = now(),
            status = CASE WHEN retry_count + 1 >= $5 THEN 'failed' ELSE 'pending' END,
            next_retry_at = now() + make_interval(secs => $4::float8 * power(2, retry_count)),
            locked_until = NULL, locked_by = NULL
      WHERE id = $1 AND locked_by = $2 AND status = 'pending'
      RETURNING status, retry_count`,
    [r.id, r.owner, r.error, r.baseSeconds, r.maxAttempts],
  );
  return rows[0] ?? null;
}

/** Records a refusal that no retry would change: `failed`, or `bounced` when the recipient was refused. */
export async function markEmailGivenUp(
  q: Queryable,
  r: { id: string; owner: string; error: string; status: 'failed' | 'bounced' },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE email_queue
        SET status = $4, retry_count = retry_count + 1, last_error = $3, last_attempt_at = now(),
            locked_until = NULL, locked_by = NULL
      WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
    [r.id, r.owner, r.error, r.status],
  );
  return rowCount === 1;
}

export type EmailQueueStats = {
  byStatus: Record<EmailStatus, number>;
  /** Pending e-mails whose time has come (not waiting for a retry). */
  due: number;
  /** Pending e-mails that failed at least once and wait for their next try. */
  retrying: number;
  /** Age of the oldest pending e-mail, 0 when none. */
  oldestPendingSeconds: number;
  lastErrors: { id: string; request_id: string | null; email_type: EmailType; status: EmailStatus; retry_count: number; last_error: string; last_attempt_at: Date | null; next_retry_at: Date }[];
};

/** The queue's state for the debug page and the metrics. */
export async function readEmailQueueStats(q: Queryable, lastErrorsLimit = 10): Promise<EmailQueueStats> {
  const counts = await q.query<{ status: EmailStatus; n: number }>(
    'SELECT status, count(*)::int AS n FROM email_queue GROUP BY status',
  );
  const pending = await q.query<{ due: number; retrying: number; oldest: number | null }>(
    `SELECT count(*) FILTER (WHERE next_retry_at <= now())::int AS due,
            count(*) FILTER (WHERE retry_count > 0)::int AS retrying,
            extract(epoch FROM now() - min(created_at))::float8 AS oldest
       FROM email_queue WHERE status = 'pending'`,
  );
  const errors = lastErrorsLimit === 0 ? { rows: [] } : await q.query<EmailQueueStats['lastErrors'][number]>(
    `SELECT id, request_id, email_type, status, retry_count, last_error, last_attempt_at, next_retry_at
       FROM email_queue WHERE last_error IS NOT NULL
      ORDER BY last_attempt_at DESC NULLS LAST LIMIT $1`,
    [lastErrorsLimit],
  );
  const byStatus: Record<EmailStatus, number> = { pending: 0, sent: 0, failed: 0, bounced: 0 };
  for (const row of counts.rows) byStatus[row.status] = row.n;
  const p = pending.rows[0]!;
  return {
    byStatus,
    due: p.due,
    retrying: p.retrying,
    oldestPendingSeconds: Math.max(0, Math.round(p.oldest ?? 0)),
    lastErrors: errors.rows,
  };
}

export type DevMail = {
  id: string;
  email_id: string | null;
  message_id: string;
  sender: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: Date;
};

export async function insertDevMail(
  q: Queryable,
  m: { emailId: string | null; messageId: string; sender: string; recipient: string; subject: string; text: string; html: string },
): Promise<void> {
  await q.query(
    `INSERT INTO dev_mailbox (email_id, message_id, sender, recipient, subject, text_body, html_body)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [m.emailId, m.messageId, m.sender, m.recipient, m.subject, m.text, m.html],
  );
}

/** The newest dev mails first. */
export async function listDevMails(q: Queryable, limit: number): Promise<DevMail[]> {
  const { rows } = await q.query<DevMail>('SELECT * FROM dev_mailbox ORDER BY created_at DESC, id LIMIT $1', [limit]);
  return rows;
}

/** Old dev mails and expired e-mail links are of no use: the worker removes them now and then. */
export async function pruneEmailLeftovers(q: Queryable, devMailboxDays: number): Promise<void> {
  await deleteExpiredAccessTokens(q);
  await q.query('DELETE FROM dev_mailbox WHERE created_at < now() - make_interval(days => $1)', [devMailboxDays]);
}

/** A ticket's outbox row by id (a Message-ID of ours, read back from an inbound e-mail), or null (privacy confirmations too). */
export async function findOutboxEmail(q: Queryable, id: string): Promise<{ id: string; request_id: string; status: EmailStatus } | null> {
  const { rows } = await q.query<{ id: string; request_id: string; status: EmailStatus }>(
    'SELECT id, request_id, status FROM email_queue WHERE id = $1 AND request_id IS NOT NULL',
    [id],
  );
  return rows[0] ?? null;
}

/**
 * A delivery report (bounce) came back for a sent e-mail: the row becomes `bounced`, with the report's
 * diagnostic as its error. Rows still pending, or already given up, are left as they are.
 */
export async function recordEmailBounce(q: Queryable, id: string, diagnostic: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE email_queue SET status = 'bounced', last_error = $2 WHERE id = $1 AND status = 'sent'`,
    [id, diagnostic],
  );
  return rowCount === 1;
}
