-- The seed's schema (sections 1, 7, 8, 9), with its weak spots fixed:
--  * support_messages.seq: a per-ticket sequence in commit order, so pagination and realtime resume
--    have a total order (the seed's timestamp-only cursor skips or repeats messages sharing a created_at);
--  * client_id unique per ticket, so a retried send is stored once;
--  * the first-response trigger sets last_agent_reply_at (the seed never did, so every reply was "first").

CREATE TABLE support_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  message text NOT NULL CHECK (length(message) BETWEEN 1 AND 5000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  lang text NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en', 'nl')),
  token_hash text NOT NULL UNIQUE,
  order_number text CHECK (length(order_number) <= 64),
  last_message_seq integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_agent_reply_at timestamptz,
  resolved_at timestamptz
);

CREATE INDEX idx_support_requests_email_created ON support_requests (email, created_at DESC);
CREATE INDEX idx_support_requests_status_created ON support_requests (status, created_at DESC);
CREATE INDEX idx_support_requests_priority ON support_requests (priority, created_at DESC);
CREATE INDEX idx_support_requests_dashboard ON support_requests (status, priority, created_at DESC);
CREATE INDEX idx_support_requests_created ON support_requests (created_at DESC);
CREATE INDEX idx_support_requests_order_number ON support_requests (order_number) WHERE order_number IS NOT NULL;

CREATE TABLE support_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
  author_type text NOT NULL CHECK (author_type IN ('user', 'agent', 'bot', 'system')),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  client_id uuid,
  seq integer NOT NULL,
  agent_id uuid,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT support_messages_request_seq_key UNIQUE (request_id, seq),
  CONSTRAINT support_messages_request_client_key UNIQUE (request_id, client_id)
);

CREATE INDEX idx_support_messages_request_created ON support_messages (request_id, created_at DESC);

CREATE TABLE support_analytics (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  metric_type text NOT NULL CHECK (metric_type IN (
    'ticket_created', 'message_sent', 'ticket_resolved', 'agent_response', 'user_satisfaction', 'timeout_escalation'
  )),
  request_id uuid REFERENCES support_requests (id) ON DELETE CASCADE,
  agent_id uuid,
  user_intent text CHECK (user_intent IN (
    'faq', 'problem', 'complaint', 'compliment', 'order_tracking', 'general_inquiry', 'unknown'
  )),
  response_time_seconds integer,
  resolution_time_seconds integer,
  metadata jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_analytics_metric_type ON support_analytics (metric_type, created_at DESC);
CREATE INDEX idx_analytics_request_id ON support_analytics (request_id);
CREATE INDEX idx_analytics_user_intent ON support_analytics (user_intent, created_at DESC);
CREATE INDEX idx_analytics_created_at ON support_analytics (created_at DESC);

-- First agent response: the ticket row is locked so that two replies racing cannot both be "first",
-- and last_agent_reply_at is set so that later replies are not counted again (the seed's bug).
CREATE FUNCTION track_agent_response_time() RETURNS trigger AS $$
DECLARE
  req record;
BEGIN
  IF NEW.author_type = 'agent' THEN
    SELECT created_at, last_agent_reply_at INTO req
      FROM support_requests WHERE id = NEW.request_id FOR UPDATE;
    IF req.last_agent_reply_at IS NULL THEN
      INSERT INTO support_analytics (metric_type, request_id, agent_id, response_time_seconds)
      VALUES ('agent_response', NEW.request_id, NEW.agent_id,
              GREATEST(0, EXTRACT(EPOCH FROM (NEW.created_at - req.created_at)))::integer);
    END IF;
    UPDATE support_requests
       SET last_agent_reply_at = NEW.created_at, updated_at = now()
     WHERE id = NEW.request_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER track_response_time
  AFTER INSERT ON support_messages
  FOR EACH ROW EXECUTE FUNCTION track_agent_response_time();

-- The transactional outbox of e-mails (docs/email.md): written in the same transaction as its cause.
CREATE TABLE email_queue (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
  message_id uuid REFERENCES support_messages (id) ON DELETE CASCADE,
  email_type text NOT NULL CHECK (email_type IN ('created', 'agent_reply')),
  recipient_email text NOT NULL CHECK (length(recipient_email) <= 254),
  lang text NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en', 'nl')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'bounced')),
  retry_count integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  next_retry_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  locked_by text
);

CREATE INDEX idx_email_queue_status ON email_queue (status, next_retry_at);
CREATE INDEX idx_email_queue_request ON email_queue (request_id);

CREATE TABLE user_preferences (
  user_id text PRIMARY KEY,
  language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en', 'nl')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE faq_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  lang text NOT NULL CHECK (lang IN ('fr', 'en', 'nl')),
  title text NOT NULL,
  answer text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT faq_entries_key_lang_key UNIQUE (key, lang)
);

CREATE TABLE agent_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
  agent_id uuid,
  action text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_agent_actions_ticket ON agent_actions (ticket_id, created_at DESC);

CREATE TABLE error_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source text NOT NULL DEFAULT 'server' CHECK (source IN ('server', 'client')),
  error_type text NOT NULL,
  message text NOT NULL,
  context jsonb,
  stack text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_error_logs_created ON error_logs (created_at DESC);

-- A retried ticket creation is recognised by the clientId of its opening message.
CREATE INDEX idx_support_messages_client ON support_messages (client_id) WHERE client_id IS NOT NULL;
