-- The approval sweep looks for runs whose card fell behind them (IRunReminders.CardsBehindAsync) among those changed
-- in the last day, every sweep: by this index, not by reading every run.
CREATE INDEX ix_runs_updated ON runs (updated_at);
