-- The agents' workspace (issue 16): who handles a ticket, and the team's canned replies. Internal notes
-- and the timeline's events are rows of agent_actions (0001); the rating is the user_satisfaction row.

-- A deleted account leaves its tickets unassigned; disabling one does too (trigger, functions/ticket-assignment.sql).
ALTER TABLE support_requests ADD COLUMN assignee_id uuid REFERENCES agents (id) ON DELETE SET NULL;
CREATE INDEX idx_support_requests_assignee ON support_requests (assignee_id, status, created_at DESC);

CREATE TABLE canned_replies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lang text NOT NULL CHECK (lang IN ('fr', 'en', 'nl')),
  shortcut text NOT NULL CHECK (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT canned_replies_lang_shortcut_key UNIQUE (lang, shortcut)
);

-- First text of the function; its current text is functions/ticket-assignment.sql.
CREATE OR REPLACE FUNCTION tf_unassign_disabled_agent() RETURNS trigger AS $$
DECLARE
  t record;
BEGIN
  IF NEW.disabled AND NOT OLD.disabled THEN
    FOR t IN
      UPDATE support_requests SET assignee_id = NULL, updated_at = now()
       WHERE assignee_id = NEW.id AND status IN ('open', 'pending')
      RETURNING id
    LOOP
      INSERT INTO agent_actions (ticket_id, agent_id, action, details)
      VALUES (t.id, NULL, 'assignment', jsonb_build_object('from', NEW.id, 'to', NULL, 'reason', 'agent_disabled'));
      PERFORM pg_notify(tf_bus_channel(), json_build_object('type', 'ticket.updated', 'ticketId', t.id)::text);
    END LOOP;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER unassign_disabled_agent
  AFTER UPDATE OF disabled ON agents
  FOR EACH ROW EXECUTE FUNCTION tf_unassign_disabled_agent();
