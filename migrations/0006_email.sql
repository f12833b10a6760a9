-- E-mail delivery (issue 6): the outbox's bookkeeping, the per-e-mail access links, the dev mailbox.

-- When the last delivery attempt ended: the debug page and the retry schedule read it.
ALTER TABLE email_queue ADD COLUMN last_attempt_at timestamptz;

-- The worker's claim scans only what is still owed, oldest due first.
CREATE INDEX idx_email_queue_due ON email_queue (next_retry_at) WHERE status = 'pending';

-- A ticket's own token is stored only as a hash, so the worker cannot put it in a link. Each e-mail
-- carries a fresh random token instead, minted by the worker when it claims the e-mail; only its
-- SHA-256 is kept here. authorizeTicket accepts it until it expires; deleting the row revokes it.
CREATE TABLE ticket_access_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  purpose text NOT NULL CHECK (purpose IN ('email_link')),
  email_id uuid REFERENCES email_queue (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX idx_ticket_access_tokens_ticket ON ticket_access_tokens (ticket_id);
CREATE INDEX idx_ticket_access_tokens_expiry ON ticket_access_tokens (expires_at);

-- Without SMTP_URL the worker "sends" into this table, shown on the debug page (quick start, dev).
CREATE TABLE dev_mailbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email_id uuid REFERENCES email_queue (id) ON DELETE SET NULL,
  message_id text NOT NULL,
  sender text NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_dev_mailbox_created ON dev_mailbox (created_at DESC);
