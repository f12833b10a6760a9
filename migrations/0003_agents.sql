-- Agent accounts, their server-side sessions, login throttling, and the indexes the agent queue and
-- analytics need (checked with EXPLAIN on 1,000,000 tickets: docs/query-plans.md).

CREATE TABLE agents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role text NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'admin')),
  -- argon2id, PHC string format (parameters and salt inside).
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

-- One account per address, whatever its case.
CREATE UNIQUE INDEX agents_email_lower_key ON agents (lower(email));

-- Only the SHA-256 of the session id is stored: a copy of this table cannot be replayed as cookies.
-- The timeouts are stored with each session, so whoever reads it needs no configuration.
CREATE TABLE agent_sessions (
  id_hash text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  idle_timeout_seconds integer NOT NULL CHECK (idle_timeout_seconds > 0),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text CHECK (length(user_agent) <= 512)
);

CREATE INDEX idx_agent_sessions_agent ON agent_sessions (agent_id);
CREATE INDEX idx_agent_sessions_expires ON agent_sessions (expires_at);

-- Login attempts in flight or failed, per key ('account:<email>' or 'ip:<address>'), counted in a
-- sliding window. In the database so that every instance sees the same counts.
CREATE TABLE login_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL CHECK (length(key) <= 300),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_login_attempts_key_created ON login_attempts (key, created_at);

-- Urgency order of priorities, for sorting the queue (alphabetical order means nothing here).
CREATE FUNCTION ticket_priority_rank(priority text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 WHEN 'low' THEN 1 ELSE 0 END;

-- The queue sorted by last activity, by urgency, and its per-status totals.
CREATE INDEX idx_support_requests_status_updated ON support_requests (status, updated_at DESC);
-- 0002 (realtime resume) may already have created the same index on updated_at.
CREATE INDEX IF NOT EXISTS idx_support_requests_updated ON support_requests (updated_at);
CREATE INDEX idx_support_requests_status_rank ON support_requests (status, ticket_priority_rank(priority) DESC, created_at DESC);
CREATE INDEX idx_support_requests_rank ON support_requests (ticket_priority_rank(priority) DESC, created_at DESC);
-- Analytics over a date range read status and priority from the index alone (no heap, no table scan).
CREATE INDEX idx_support_requests_created_status ON support_requests (created_at, status, priority);

-- One satisfaction rating per ticket, enforced by the database (two racing ratings: one wins, one 409).
CREATE UNIQUE INDEX support_analytics_one_rating ON support_analytics (request_id) WHERE metric_type = 'user_satisfaction';
