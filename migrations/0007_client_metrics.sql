-- Client performance metrics (docs/widget.md: the widget's perf monitor and Web Vitals, sent by sendBeacon).
-- Summaries group by the server's receive time: a visitor's clock may be anywhere; the client's own
-- timestamp is kept for reference.
CREATE TABLE client_metrics (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  value double precision NOT NULL CHECK (value <> 'NaN' AND value <> 'Infinity' AND value <> '-Infinity'),
  client_ts timestamptz NOT NULL,
  metadata jsonb,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_client_metrics_received ON client_metrics (received_at, name);
