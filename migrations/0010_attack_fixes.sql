-- Issue 13 (what an attacker found): the stored state its fixes need.

-- A retried ticket creation is answered with the ticket's token only when the request proves it is the
-- author: the first request's `clientSecret` opens this box (AES-256-GCM of the token under a key derived
-- from that secret, which is never stored). Without the secret the box is useless; a retry without it is 409.
ALTER TABLE support_requests ADD COLUMN create_retry_box text CHECK (length(create_retry_box) <= 200);

-- The client address a ticket was opened from: one address may spend only part of an e-mail's daily
-- quota (a stranger can not use up a customer's tickets). Erased with the ticket.
ALTER TABLE support_requests ADD COLUMN opened_from text CHECK (length(opened_from) <= 64);

-- Browsers that logged in to an account before (an HttpOnly cookie; only its SHA-256 is stored): their
-- failures are counted on their own, so strangers failing on the account's address never lock them out.
CREATE TABLE agent_devices (
  id_hash text PRIMARY KEY,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_agent_devices_agent ON agent_devices (agent_id);

-- Failed order look-ups are now limited per (order number, client address), not per number from
-- anywhere: strangers exhaust only their own budget. The old per-number rows mean nothing any more.
DELETE FROM order_track_failures WHERE scope = 'number';
ALTER TABLE order_track_failures DROP CONSTRAINT order_track_failures_scope_check;
ALTER TABLE order_track_failures ADD CONSTRAINT order_track_failures_scope_check CHECK (scope IN ('ip', 'number_ip'));

-- E-mails to one address are capped per hour (modules/email EMAILS_PER_RECIPIENT_PER_HOUR): the count
-- reads this index.
CREATE INDEX idx_email_queue_recipient_created ON email_queue (recipient_email, created_at);
