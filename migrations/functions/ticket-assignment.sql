-- A disabled agent's open and pending tickets go back to the unassigned queue, whoever disables the
-- account (the admin API, a script): one timeline row (action 'assignment', no agent, reason
-- agent_disabled) and one ticket.updated event each. Created with its trigger by migration 0016.
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
