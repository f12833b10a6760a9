-- Which agents are viewing which ticket, across every server instance (realtime presence).
-- One row per (ticket, agent, instance) while that instance holds at least one of the agent's sockets
-- on the ticket. Instances refresh expires_at by heartbeat; rows of an instance that died expire and
-- are reaped by the survivors, so a crash never leaves an agent "viewing" forever.
CREATE TABLE realtime_presence (
  ticket_id uuid NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
  agent_id text NOT NULL,
  instance_id uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, agent_id, instance_id)
);

CREATE INDEX idx_realtime_presence_instance ON realtime_presence (instance_id);
CREATE INDEX idx_realtime_presence_expires ON realtime_presence (expires_at);

-- Reconnect backfill of the agents' queue: tickets changed since the listener was last known healthy.
CREATE INDEX idx_support_requests_updated ON support_requests (updated_at);
