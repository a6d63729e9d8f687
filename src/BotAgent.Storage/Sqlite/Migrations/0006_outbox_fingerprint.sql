-- What a delivered card update showed (a hash of its rendered view), so an identical update is not sent again: kept
-- in the store, it holds across restarts and for every instance. The latest sent update of a message key is the one
-- compared, through ix_outbox_message.
ALTER TABLE outbox ADD COLUMN fingerprint TEXT;
