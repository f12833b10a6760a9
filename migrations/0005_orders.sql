-- Orders fed by the restaurant's ordering system (POST /api/integrations/orders), tracked by customers
-- (GET /api/orders/track), and the timeout escalation's clock on tickets.

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored upper-cased so that "tf-1002" typed by a customer finds "TF-1002".
  number text NOT NULL UNIQUE CHECK (number ~ '^[A-Z0-9][A-Z0-9_-]{0,63}$'),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
  status text NOT NULL CHECK (status IN ('received', 'preparing', 'ready', 'out_for_delivery', 'delivered', 'cancelled')),
  items jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(items) = 'array'),
  eta timestamptz,
  -- The ordering system's clock of the last update applied: an older update arriving late is ignored.
  source_updated_at timestamptz NOT NULL,
  source_sequence bigint NOT NULL DEFAULT 0,
  -- Lets a widget that proved number + e-mail subscribe to the order's live changes (realtime `order:<number>`).
  tracking_token text NOT NULL CHECK (length(tracking_token) >= 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_orders_email ON orders (email);

CREATE TABLE order_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('received', 'preparing', 'ready', 'out_for_delivery', 'delivered', 'cancelled')),
  at timestamptz NOT NULL,
  note text CHECK (length(note) <= 500),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX idx_order_events_order ON order_events (order_id, at, created_at);

-- Failed tracking lookups, counted per client address and per order number (the brute-force brake).
CREATE TABLE order_track_failures (
  scope text NOT NULL CHECK (scope IN ('ip', 'number')),
  key text NOT NULL CHECK (length(key) <= 128),
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_order_track_failures_key ON order_track_failures (scope, key, at);
CREATE INDEX idx_order_track_failures_at ON order_track_failures (at);

-- Timeout escalation: the time since the priority last changed (or since creation) decides the next
-- step. Any priority change (an agent's or an escalation) restarts that clock; an UPDATE that sets the
-- column itself (the escalation job, with its own notion of "now") keeps its value.
ALTER TABLE support_requests ADD COLUMN priority_changed_at timestamptz;

CREATE FUNCTION track_priority_change() RETURNS trigger AS $$
BEGIN
  IF NEW.priority_changed_at IS NOT DISTINCT FROM OLD.priority_changed_at THEN
    NEW.priority_changed_at := now();
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER track_priority_change
  BEFORE UPDATE OF priority ON support_requests
  FOR EACH ROW WHEN (OLD.priority IS DISTINCT FROM NEW.priority)
  EXECUTE FUNCTION track_priority_change();

CREATE INDEX idx_support_requests_escalation ON support_requests (priority, COALESCE(priority_changed_at, created_at))
  WHERE status = 'open' AND last_agent_reply_at IS NULL;
