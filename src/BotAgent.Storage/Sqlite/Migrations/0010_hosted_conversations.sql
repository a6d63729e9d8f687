-- Conversations the bot hosts itself (Direct Line, the /chat page): each is an append-only list of activities
-- numbered from 1, so a client's watermark says exactly what it has read, across reconnects, restarts and instances.
-- last_seq is taken under the conversation row's lock, so entries commit in the order of their numbers.
CREATE TABLE hosted_conversations (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE hosted_activities (
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    recipient_id    TEXT,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
