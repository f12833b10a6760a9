-- Triggers of the conversation tables; created (with their first text) by migrations 0001 and 0005,
-- which keep the CREATE TRIGGER statements. These are the functions' current texts.

-- First agent response: the ticket row is locked so that two replies racing cannot both be "first",
-- and last_agent_reply_at is set so that later replies are not counted again.
CREATE OR REPLACE FUNCTION track_agent_response_time() RETURNS trigger AS $$
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

-- The escalation clock (modules/tickets/escalate-overdue.ts) restarts on any priority change (an
-- agent's or an escalation's); an UPDATE that sets priority_changed_at itself (the escalation job,
-- with its own notion of "now") keeps its value.
CREATE OR REPLACE FUNCTION track_priority_change() RETURNS trigger AS $$
BEGIN
  IF NEW.priority_changed_at IS NOT DISTINCT FROM OLD.priority_changed_at THEN
    NEW.priority_changed_at := now();
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
