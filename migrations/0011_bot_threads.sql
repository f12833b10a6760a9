-- The chat as one thread (issue 15): what a customer asked the bot and what it answered, kept under
-- a conversation token (only its SHA-256 is stored), so that the thread survives a reload and becomes
-- the first messages of the ticket when the customer asks for a person. A thread that never became a
-- ticket is deleted after BOT_THREADS_RETENTION_DAYS of inactivity (the retention job).

CREATE TABLE bot_threads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  lang text NOT NULL CHECK (lang IN ('fr', 'en', 'nl')),
  -- The ticket the thread was handed to (the latest one); a thread with a ticket is kept with the ticket.
  request_id uuid REFERENCES support_requests (id) ON DELETE CASCADE,
  last_turn_seq integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_activity_at timestamptz NOT NULL DEFAULT now()
);
-- The retention job's scan: old threads without a ticket.
CREATE INDEX idx_bot_threads_unclaimed_activity ON bot_threads (last_activity_at) WHERE request_id IS NULL;
CREATE INDEX idx_bot_threads_request ON bot_threads (request_id) WHERE request_id IS NOT NULL;

-- One bubble of the thread: the customer's text (`user`) or the bot's reply (`bot`), numbered per thread
-- under the thread's row lock. A bot turn keeps what the widget needs to draw it again after a reload
-- (`detail`: intent, answers, action, escalate, lang).
CREATE TABLE bot_turns (
  thread_id uuid NOT NULL REFERENCES bot_threads (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  author_type text NOT NULL CHECK (author_type IN ('user', 'bot')),
  body text NOT NULL,
  detail jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (thread_id, seq)
);

-- "Did this help?" on an answer of the thread: the last choice per (thread, answer) counts.
CREATE TABLE bot_feedback (
  thread_id uuid NOT NULL REFERENCES bot_threads (id) ON DELETE CASCADE,
  answer_key text NOT NULL,
  helpful boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (thread_id, answer_key)
);
CREATE INDEX idx_bot_feedback_created ON bot_feedback (created_at);
