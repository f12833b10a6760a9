import type { Queryable } from '../../db/index.ts';

export type InboundVia = 'smtp' | 'webhook';

/** One e-mail that became a customer message: who sent it and what its authentication said. */
export type InboundEmailRow = {
  id: string;
  request_id: string;
  support_message_id: string;
  email_message_id: string;
  from_address: string;
  sender_matches: boolean;
  signed_address: boolean;
  via: InboundVia;
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  created_at: Date;
};

/** Written in the transaction that appended the message (so both exist, or neither). */
export async function insertInboundEmail(
  tx: Queryable,
  e: Omit<InboundEmailRow, 'id' | 'created_at'>,
): Promise<InboundEmailRow> {
  const { rows } = await tx.query<InboundEmailRow>(
    `INSERT INTO inbound_emails (request_id, support_message_id, email_message_id, from_address, sender_matches,
                                 signed_address, via, spf, dkim, dmarc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     RETURNING *`,
    [e.request_id, e.support_message_id, e.email_message_id, e.from_address, e.sender_matches, e.signed_address, e.via, e.spf, e.dkim, e.dmarc],
  );
  return rows[0]!;
}

/** The e-mails that became messages of this ticket, oldest first. */
export async function listInboundEmailsOfTicket(q: Queryable, ticketId: string): Promise<InboundEmailRow[]> {
  const { rows } = await q.query<InboundEmailRow>('SELECT * FROM inbound_emails WHERE request_id = $1 ORDER BY created_at, id', [ticketId]);
  return rows;
}
