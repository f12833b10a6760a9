-- The NOTIFY channel of the event bus: one per schema, so that test schemas on one server do not hear
-- each other. The one definition of the name: src/server/events/bus.ts (publish, listen) and the plpgsql
-- below (tf_send_customer_message) both call it.
CREATE OR REPLACE FUNCTION tf_bus_channel() RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT 'tf_events_' || current_schema() $$;
