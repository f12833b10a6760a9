-- Privacy by default (issue 21; modules/privacy, docs/privacy.md): erasure, customers' requests, the
-- access record, and e-mails that belong to a privacy request rather than to a ticket.

-- An admin's flag: a ticket under legal hold is never erased nor anonymised by the retention job.
ALTER TABLE support_requests ADD COLUMN legal_hold boolean NOT NULL DEFAULT false;
-- When the ticket's personal data was erased (a request, an admin) or anonymised (retention). The row stays,
-- so that analytics keep counting it; its address is then a one-way pseudonym (pseudonym@erased.invalid).
ALTER TABLE support_requests ADD COLUMN erased_at timestamptz;
CREATE INDEX idx_support_requests_retention ON support_requests (updated_at)
  WHERE erased_at IS NULL AND status IN ('resolved', 'closed');
-- Erasure and export find a customer's tickets by address, whatever its case.
CREATE INDEX idx_support_requests_email_lower ON support_requests (lower(email));

-- The key of the one-way pseudonyms (keyed SHA-256 of an address): made here from random UUIDs like
-- email_reply_keys (0013), so every instance computes the same pseudonym and nobody can compute one
-- from a guessed address without the database.
CREATE TABLE privacy_keys (
  id smallint PRIMARY KEY CHECK (id = 1),
  secret text NOT NULL CHECK (secret ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO privacy_keys (id, secret)
VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

-- A customer's request (POST /api/privacy/requests) waiting for its confirmation link. The link's token
-- is minted by the e-mail worker when it sends the mail; only its SHA-256 is kept. Deleted once an
-- erasure is done, or by the retention job once expired.
CREATE TABLE privacy_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('export', 'erase')),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
  lang text NOT NULL CHECK (lang IN ('fr', 'en', 'nl')),
  token_hash text UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX idx_privacy_requests_expires ON privacy_requests (expires_at);
CREATE INDEX idx_privacy_requests_email ON privacy_requests (email);

-- Who viewed, exported or erased whose data, and when. The customer is named by the pseudonym of their
-- address (the record survives the erasure it records without keeping the address); the agent by id and
-- address at that moment (an account deleted later still shows who it was).
CREATE TABLE privacy_access_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL CHECK (actor IN ('agent', 'customer', 'retention')),
  agent_id uuid,
  agent_email text CHECK (length(agent_email) <= 254),
  action text NOT NULL CHECK (action IN ('view', 'export', 'erase', 'legal_hold', 'request')),
  subject text NOT NULL CHECK (subject ~ '^[0-9a-f]{32}$'),
  ticket_id uuid,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX idx_privacy_access_log_subject ON privacy_access_log (subject, at DESC);
CREATE INDEX idx_privacy_access_log_at ON privacy_access_log (at);
-- An agent opening the same ticket again within minutes is one view (access-record.ts).
CREATE INDEX idx_privacy_access_log_ticket ON privacy_access_log (ticket_id, at DESC) WHERE ticket_id IS NOT NULL;

-- The confirmation e-mail of a privacy request goes through the same outbox as a ticket's e-mails: such
-- a row has no ticket, and names its request instead.
ALTER TABLE email_queue ALTER COLUMN request_id DROP NOT NULL;
ALTER TABLE email_queue ADD COLUMN privacy_request_id uuid REFERENCES privacy_requests (id) ON DELETE CASCADE;
ALTER TABLE email_queue DROP CONSTRAINT email_queue_email_type_check;
ALTER TABLE email_queue ADD CONSTRAINT email_queue_email_type_check
  CHECK (email_type IN ('created', 'agent_reply', 'privacy_export', 'privacy_erase'));
ALTER TABLE email_queue ADD CONSTRAINT email_queue_cause_check
  CHECK ((request_id IS NULL) = (privacy_request_id IS NOT NULL));
-- The retention job's scan of e-mails that left or were given up.
CREATE INDEX idx_email_queue_done_created ON email_queue (created_at) WHERE status <> 'pending';
