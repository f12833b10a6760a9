-- The bot learns from what it could not answer (issue 20).
--
-- bot_unanswered: questions the bot had no good answer for, or whose answer a customer marked unhelpful,
-- with e-mail addresses, phone and order numbers masked before they are written. Admins see them grouped
-- by similarity and either teach one to the bot (status 'taught': the text becomes a training example of
-- an FAQ entry, kept as long as the FAQ) or dismiss it. Open and dismissed rows are deleted after 90 days.
CREATE TABLE bot_unanswered (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
  lang text NOT NULL CHECK (lang IN ('fr', 'en', 'nl')),
  reason text NOT NULL CHECK (reason IN ('unanswered', 'unhelpful')),
  -- The answer a customer marked unhelpful (reason 'unhelpful').
  answer_key text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taught', 'dismissed')),
  -- What an admin taught: the entry and the phrasing (the masked text, possibly edited).
  taught_key text,
  taught_lang text CHECK (taught_lang IN ('fr', 'en', 'nl')),
  taught_text text,
  taught_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'taught') = (taught_key IS NOT NULL AND taught_lang IS NOT NULL AND taught_text IS NOT NULL AND taught_at IS NOT NULL))
);
-- "Top unanswered this week": the open rows of a recent window.
CREATE INDEX idx_bot_unanswered_open ON bot_unanswered (created_at) WHERE status = 'open';
-- The training examples of a retraining.
CREATE INDEX idx_bot_unanswered_taught ON bot_unanswered (taught_at) WHERE status = 'taught';
-- The retention job's scan.
CREATE INDEX idx_bot_unanswered_created ON bot_unanswered (created_at) WHERE status <> 'taught';

-- Models retrained after an admin taught the bot, so that every instance (and the next start) answers
-- with the latest one: `fingerprint` is the shipped inputs' (a model trained from other code or data is
-- ignored), `taught_through` the latest taught example it learned from (the newest wins).
CREATE TABLE bot_models (
  id bigserial PRIMARY KEY,
  fingerprint text NOT NULL,
  taught_through timestamptz NOT NULL,
  examples integer NOT NULL,
  bytes bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_bot_models_latest ON bot_models (fingerprint, taught_through DESC, id DESC);
