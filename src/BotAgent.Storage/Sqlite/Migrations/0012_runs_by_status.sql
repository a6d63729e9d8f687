-- The runs list filtered by status (/runs?status=failed) is ordered by creation: by this index it reads one page of
-- the status, where ix_runs_status (status, updated_at) made it sort every run of that status first.
CREATE INDEX ix_runs_status_created ON runs (status, created_at, id);
