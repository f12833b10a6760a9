-- Agent search (GET /api/agent/tickets?q=) is ILIKE '%q%' over the e-mail, the opening message and every
-- message body: a b-tree cannot serve a pattern with a leading %, so it read every ticket and message.
-- pg_trgm GIN indexes serve ILIKE '%q%' (the index yields candidates, ILIKE rechecks them): results are
-- exactly those of ILIKE, same case and accent rules (docs/query-plans.md).
--
-- The extension goes into public, not into the current schema: an extension exists once per database,
-- and the test suites migrate one schema per test file and drop it afterwards. On PGlite it needs the
-- contrib bundle loaded (src/server/db/pglite.ts). pg_trgm is a trusted extension: the database owner
-- may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- IF NOT EXISTS: on a big database an operator may build these beforehand with CREATE INDEX CONCURRENTLY
-- (docs/operations.md), which cannot run inside this migration's transaction.
-- Where the operator class lives: public, or wherever an operator had installed pg_trgm before
-- (e.g. a managed service's "extensions" schema); search_path may not include that schema.
DO $$
DECLARE
  ops text := (SELECT format('%I.gin_trgm_ops', n.nspname)
                 FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                WHERE e.extname = 'pg_trgm');
BEGIN
  EXECUTE format('CREATE INDEX IF NOT EXISTS idx_support_requests_email_trgm ON support_requests USING gin (email %s)', ops);
  EXECUTE format('CREATE INDEX IF NOT EXISTS idx_support_requests_message_trgm ON support_requests USING gin (message %s)', ops);
  EXECUTE format('CREATE INDEX IF NOT EXISTS idx_support_messages_body_trgm ON support_messages USING gin (body %s)', ops);
END
$$;
