-- Whether a token (its SHA-256, hex) opens a ticket: the ticket's own token, or the unexpired link of
-- one of its e-mails. The one token check: authorizeTicket (modules/tickets/ticket-access.ts) and the
-- customer's send (tf_send_customer_message) both ask it. Unknown ticket and another ticket's token
-- alike: false, after the same two index look-ups.
CREATE OR REPLACE FUNCTION tf_token_opens_ticket(p_ticket_id uuid, p_token_hash text) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
    SELECT EXISTS (SELECT 1 FROM support_requests r WHERE r.id = p_ticket_id AND r.token_hash = p_token_hash)
        OR EXISTS (SELECT 1 FROM ticket_access_tokens a
                    WHERE a.token_hash = p_token_hash AND a.ticket_id = p_ticket_id AND a.expires_at > now())
  $$;
