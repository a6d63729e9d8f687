-- The runs dashboard counts 30 days of runs by verdict and of step attempts by tool. Read through ix_runs_created and
-- ix_step_attempts_started it fetched every row of the period from the table (a goal's JSON, an attempt's output).
-- These indexes hold what the counts read (index-only scans); each replaces the narrower index it starts with.
-- Adding a stored column rewrites runs once, under this migration's lock.
ALTER TABLE runs ADD COLUMN verdict TEXT GENERATED ALWAYS AS (goal_json::jsonb ->> 'verdict') STORED;
CREATE INDEX ix_runs_created_verdict ON runs (created_at, verdict);
DROP INDEX ix_runs_created;
CREATE INDEX ix_step_attempts_started_tool ON step_attempts (started_at, state, tool);
DROP INDEX ix_step_attempts_started;
