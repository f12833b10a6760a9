-- Whether a token (its SHA-256, hex) opens a ticket: the ticket's own token, or the unexpired link of
-- one of its e-mails; and, once tickets were merged (migrations/0018), the token or links of a ticket
-- merged into this one (merged_into), so both customers reach the kept conversation. The one token
-- check: authorizeTicket (modules/tickets/authorize-ticket.ts) and the customer's send
-- (tf_send_customer_message) both ask it. Unknown ticket and another ticket's token alike: false,
-- after the same two index look-ups (each on a unique token_hash).
CREATE OR REPLACE FUNCTION tf_token_opens_ticket(p_ticket_id uuid, p_token_hash text) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
    SELECT EXISTS (SELECT 1 FROM support_requests r
                    WHERE r.token_hash = p_token_hash AND (r.id = p_ticket_id OR r.merged_into = p_ticket_id))
        OR EXISTS (SELECT 1 FROM ticket_access_tokens a JOIN support_requests r ON r.id = a.ticket_id
                    WHERE a.token_hash = p_token_hash AND a.expires_at > now()
                      AND (r.id = p_ticket_id OR r.merged_into = p_ticket_id))
  $$;
