-- The runs dashboard counts 30 days of runs by goal verdict and of step attempts by tool. Read through ix_runs_created
-- and ix_step_attempts_started it fetched every row of the period from the table (a goal's JSON, an attempt's output).
-- These indexes hold what the counts read (index-only scans); each replaces the narrower index it starts with.
-- goal_verdict is written by the run's move that sets goal_json: a plain column, not one generated from the JSON,
-- because jsonb refuses some text json accepts (an escaped NUL in a model's reason) and would fail the run's end.
-- The backfill reads json, not jsonb, for the same reason.
ALTER TABLE runs ADD COLUMN goal_verdict TEXT;
UPDATE runs SET goal_verdict = goal_json::json ->> 'verdict' WHERE goal_json IS NOT NULL;
CREATE INDEX ix_runs_created_verdict ON runs (created_at, goal_verdict);
DROP INDEX ix_runs_created;
CREATE INDEX ix_step_attempts_started_tool ON step_attempts (started_at, state, tool);
DROP INDEX ix_step_attempts_started;
