-- Round-robin assignment of new tickets (team_settings.auto_assign = 'round_robin': an admin's setting, first
-- written from AUTO_ASSIGN; no row yet: off. docs/agents.md "Round-robin"): in the
-- transaction that creates the ticket, it goes to the available agent whose last automatic assignment
-- is the oldest (never assigned first). Available: an active account, the choice `online`, and a socket
-- open and active on some instance (realtime_agent_presence). A transaction-scoped advisory lock makes
-- the choice one at a time over every instance, so two tickets created together go to two agents.
-- Nobody available: the ticket stays unassigned. Created with its trigger by migration 0019.
CREATE OR REPLACE FUNCTION tf_auto_assign_new_ticket() RETURNS trigger AS $$
DECLARE
  chosen uuid;
BEGIN
  IF NEW.assignee_id IS NOT NULL OR NEW.status <> 'open'
     OR (SELECT auto_assign FROM team_settings) IS DISTINCT FROM 'round_robin' THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('tf_round_robin'));
  SELECT a.id INTO chosen
    FROM agents a
    LEFT JOIN agent_availability v ON v.agent_id = a.id
   WHERE NOT a.disabled
     AND coalesce(v.status, 'online') = 'online'
     AND EXISTS (SELECT 1 FROM realtime_agent_presence p
                  WHERE p.agent_id = a.id AND NOT p.idle AND p.expires_at > clock_timestamp())
   ORDER BY v.last_auto_assigned ASC NULLS FIRST, a.created_at, a.id
   LIMIT 1;
  IF chosen IS NULL THEN
    RETURN NEW;
  END IF;
  INSERT INTO agent_availability (agent_id, last_auto_assigned)
  VALUES (chosen, nextval('agent_round_robin_turn'))
  ON CONFLICT (agent_id) DO UPDATE SET last_auto_assigned = EXCLUDED.last_auto_assigned;
  UPDATE support_requests SET assignee_id = chosen WHERE id = NEW.id;
  INSERT INTO agent_actions (ticket_id, agent_id, action, details)
  VALUES (NEW.id, NULL, 'assignment', jsonb_build_object('from', NULL, 'to', chosen, 'reason', 'round_robin'));
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
