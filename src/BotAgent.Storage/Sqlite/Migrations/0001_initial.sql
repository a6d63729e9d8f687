-- Runs and their plan versions, approval decisions, step attempts (the execution ledger),
-- planning and execution trace events kept apart, and the durable inbox and outbox.
-- Timestamps are ISO-8601 UTC text with a fixed width, so they sort and compare as text.

CREATE TABLE runs (
    id                TEXT PRIMARY KEY,
    status            TEXT NOT NULL,
    goal              TEXT NOT NULL,
    requester_id      TEXT NOT NULL,
    requester_json    TEXT NOT NULL,
    conversation_key  TEXT NOT NULL,
    conversation_json TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    plan_version      INTEGER NOT NULL DEFAULT 0,
    plan_hash         TEXT,
    risk_level        TEXT,
    approval_json     TEXT,
    expires_at        TEXT,
    outcome           TEXT,
    lease_owner       TEXT,
    lease_until       TEXT
);
CREATE INDEX ix_runs_status ON runs (status, updated_at);
CREATE INDEX ix_runs_conversation ON runs (conversation_key, created_at);

CREATE TABLE plan_versions (
    run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    planner    TEXT NOT NULL,
    plan_json  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, version)
);

CREATE TABLE approval_decisions (
    id                     INTEGER PRIMARY KEY,
    run_id                 TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    plan_version           INTEGER NOT NULL,
    plan_hash              TEXT NOT NULL,
    approver_id            TEXT NOT NULL,
    approver_name          TEXT NOT NULL,
    approver_aad_object_id TEXT,
    decision               TEXT NOT NULL,
    decided_at             TEXT NOT NULL,
    UNIQUE (run_id, plan_version, approver_id)
);

CREATE TABLE step_attempts (
    id              INTEGER PRIMARY KEY,
    run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    plan_version    INTEGER NOT NULL,
    step_id         TEXT NOT NULL,
    step_index      INTEGER NOT NULL,
    attempt         INTEGER NOT NULL,
    tool            TEXT NOT NULL,
    args_json       TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    state           TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    summary         TEXT,
    output          TEXT,
    error           TEXT,
    UNIQUE (run_id, plan_version, step_id, attempt)
);

CREATE TABLE planning_events (
    id        INTEGER PRIMARY KEY,
    run_id    TEXT NOT NULL,
    type      TEXT NOT NULL,
    at        TEXT NOT NULL,
    data_json TEXT
);
CREATE INDEX ix_planning_events_run ON planning_events (run_id, id);

CREATE TABLE execution_events (
    id        INTEGER PRIMARY KEY,
    run_id    TEXT NOT NULL,
    type      TEXT NOT NULL,
    at        TEXT NOT NULL,
    step_id   TEXT,
    attempt   INTEGER,
    data_json TEXT
);
CREATE INDEX ix_execution_events_run ON execution_events (run_id, id);

CREATE TABLE inbox (
    id           INTEGER PRIMARY KEY,
    adapter      TEXT NOT NULL,
    dedupe_key   TEXT NOT NULL UNIQUE,
    ordering_key TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    processed_at TEXT,
    error        TEXT
);
CREATE INDEX ix_inbox_open ON inbox (id) WHERE status IN ('pending', 'processing');

CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY,
    run_id            TEXT,
    adapter           TEXT NOT NULL,
    ordering_key      TEXT NOT NULL,
    kind              TEXT NOT NULL,
    message_key       TEXT,
    conversation_json TEXT NOT NULL,
    view_json         TEXT NOT NULL,
    status            TEXT NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    due_at            TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    sent_at           TEXT,
    activity_id       TEXT,
    error             TEXT
);
CREATE INDEX ix_outbox_open ON outbox (ordering_key, id) WHERE status IN ('pending', 'sending');
CREATE INDEX ix_outbox_due ON outbox (due_at, id) WHERE status = 'pending';
CREATE INDEX ix_outbox_message ON outbox (message_key, kind) WHERE message_key IS NOT NULL;
CREATE INDEX ix_outbox_run ON outbox (run_id);
