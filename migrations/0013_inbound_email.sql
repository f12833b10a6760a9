-- Replies by e-mail (issue 18): the key that signs reply addresses, and what each accepted e-mail was.

-- The key of the HMAC in `reply+<ticket>.<signature>@<domain>` (modules/email/reply-address.ts): one
-- row, made here from two random UUIDs (gen_random_uuid draws from the server's strong random source,
-- 244 random bits), so that every instance and worker signs alike and the key survives restarts.
-- Replacing it invalidates every reply address already mailed.
CREATE TABLE email_reply_keys (
  id smallint PRIMARY KEY CHECK (id = 1),
  secret text NOT NULL CHECK (secret ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO email_reply_keys (id, secret)
VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

-- One row per e-mail that became a customer message (modules/inbound-email): how it came, who sent it,
-- whether the sender is the ticket's address, and the SPF/DKIM/DMARC verdicts shown to the agents.
-- Written in the transaction that appends the message; (ticket, Message-ID) is unique, so the same
-- e-mail delivered twice is stored once.
CREATE TABLE inbound_emails (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
  support_message_id uuid NOT NULL UNIQUE REFERENCES support_messages (id) ON DELETE CASCADE,
  email_message_id text NOT NULL CHECK (length(email_message_id) BETWEEN 1 AND 1000),
  from_address text NOT NULL CHECK (length(from_address) <= 320),
  sender_matches boolean NOT NULL,
  signed_address boolean NOT NULL,
  via text NOT NULL CHECK (via IN ('smtp', 'webhook')),
  spf text CHECK (length(spf) <= 32),
  dkim text CHECK (length(dkim) <= 32),
  dmarc text CHECK (length(dmarc) <= 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT inbound_emails_ticket_message_key UNIQUE (request_id, email_message_id)
);
