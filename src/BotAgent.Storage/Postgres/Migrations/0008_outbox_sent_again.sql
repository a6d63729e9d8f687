-- A plan card whose create may have reached the channel (a timeout, a broken connection, a 5xx) is sent again rather
-- than left unknown: without it the person who asked sees nothing at all. The copy sent again says so.
ALTER TABLE outbox ADD COLUMN may_have_arrived INTEGER NOT NULL DEFAULT 0;
