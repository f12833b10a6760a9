-- resolved_at follows the status, whoever changes it (an agent, a customer's message reopening the
-- ticket, a script): set when the ticket becomes resolved or closed (kept if it already was one of
-- them), cleared when it goes back to open or pending. The one place of this rule.
CREATE OR REPLACE FUNCTION tf_track_resolved_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.resolved_at := CASE
    WHEN NEW.status IN ('resolved', 'closed') THEN coalesce(OLD.resolved_at, now())
    ELSE NULL
  END;
  RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER track_resolved_at
  BEFORE UPDATE OF status ON support_requests
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION tf_track_resolved_at();
