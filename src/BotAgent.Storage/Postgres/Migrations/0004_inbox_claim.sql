-- The inbox claim reads only open items: it walks the open-items index in id order and, per candidate,
-- looks for an earlier item of the same conversation still being processed through this index,
-- instead of scanning every activity ever received.
CREATE INDEX ix_inbox_processing ON inbox (ordering_key, id) WHERE status = 'processing';
