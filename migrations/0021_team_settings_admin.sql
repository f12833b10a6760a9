-- Round-robin becomes the admins' setting (PUT /api/agent/team/settings, docs/agents.md "Round-robin").
-- Until now every instance wrote its AUTO_ASSIGN over team_settings at each start, so the row holds no
-- one's choice: it goes. Without a row the trigger assigns nothing; the next start writes its AUTO_ASSIGN
-- once (INSERT … ON CONFLICT DO NOTHING), and from then on only an admin changes it.
DELETE FROM team_settings;
ALTER TABLE team_settings
  ALTER COLUMN auto_assign DROP DEFAULT,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  -- NULL: the first value, from AUTO_ASSIGN (or an admin account since deleted).
  ADD COLUMN updated_by uuid REFERENCES agents (id) ON DELETE SET NULL;
