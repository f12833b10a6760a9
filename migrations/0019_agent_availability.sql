-- Agents' availability, @mentions and round-robin assignment (issue 16, docs/agents.md "Availability").

-- Which agents have a socket open, on which instance: one row per (agent, instance), kept like
-- realtime_presence (refreshed by the hub's heartbeat, rows of a dead instance expire and are reaped).
-- `idle`: every socket of that agent on that instance reported no activity for a while.
CREATE TABLE realtime_agent_presence (
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  instance_id uuid NOT NULL,
  idle boolean NOT NULL DEFAULT false,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (agent_id, instance_id)
);
CREATE INDEX idx_realtime_agent_presence_instance ON realtime_agent_presence (instance_id);
CREATE INDEX idx_realtime_agent_presence_expires ON realtime_agent_presence (expires_at);

-- What each agent chose (no row: online), and the turn of their last round-robin assignment.
CREATE TABLE agent_availability (
  agent_id uuid PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'away', 'offline')),
  last_auto_assigned bigint,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE SEQUENCE agent_round_robin_turn;

-- `@name` in an internal note: one row per agent named, read or not.
CREATE TABLE agent_mentions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  ticket_id uuid NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
  note_id uuid NOT NULL REFERENCES agent_actions (id) ON DELETE CASCADE,
  by_agent_id uuid REFERENCES agents (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  CONSTRAINT agent_mentions_note_agent_key UNIQUE (note_id, agent_id)
);
CREATE INDEX idx_agent_mentions_agent ON agent_mentions (agent_id, created_at DESC);

-- One row: how new tickets are assigned. Each instance writes AUTO_ASSIGN here when it starts.
CREATE TABLE team_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  auto_assign text NOT NULL DEFAULT 'off' CHECK (auto_assign IN ('off', 'round_robin'))
);
INSERT INTO team_settings DEFAULT VALUES;

-- First text of the function; its current text is functions/round-robin.sql.
CREATE OR REPLACE FUNCTION tf_auto_assign_new_ticket() RETURNS trigger AS $$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER auto_assign_new_ticket
  AFTER INSERT ON support_requests
  FOR EACH ROW EXECUTE FUNCTION tf_auto_assign_new_ticket();
