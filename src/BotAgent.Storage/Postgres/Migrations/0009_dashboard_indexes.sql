-- The runs dashboard reads a period (at most 90 days) of runs, decisions, step attempts and model calls by time:
-- without these it would scan whole tables that only grow.
CREATE INDEX ix_runs_created ON runs (created_at);
CREATE INDEX ix_approval_decisions_decided ON approval_decisions (decided_at);
CREATE INDEX ix_step_attempts_started ON step_attempts (started_at);
CREATE INDEX ix_planning_events_type_at ON planning_events (type, at);
