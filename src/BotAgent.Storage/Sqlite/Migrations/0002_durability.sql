-- Durability: idempotent intake (one run per inbound activity), leases on inbox and outbox rows so a
-- dead instance's work is taken over, one post per message key, approval reminders, and the human
-- decisions on steps whose outcome is unknown.

ALTER TABLE runs ADD COLUMN source_key TEXT;
ALTER TABLE runs ADD COLUMN reminded_at TEXT;
CREATE UNIQUE INDEX ux_runs_source_key ON runs (source_key) WHERE source_key IS NOT NULL;
CREATE INDEX ix_runs_claimable ON runs (status, lease_until) WHERE status IN ('approved', 'running');

ALTER TABLE inbox ADD COLUMN lease_owner TEXT;
ALTER TABLE inbox ADD COLUMN lease_until TEXT;

ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
CREATE UNIQUE INDEX ux_outbox_post_key ON outbox (message_key) WHERE kind = 'post' AND message_key IS NOT NULL;

CREATE TABLE step_resolutions (
    id              INTEGER PRIMARY KEY,
    run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt_id      INTEGER NOT NULL UNIQUE,
    decision        TEXT NOT NULL,
    decided_by_id   TEXT NOT NULL,
    decided_by_name TEXT NOT NULL,
    decided_at      TEXT NOT NULL
);
