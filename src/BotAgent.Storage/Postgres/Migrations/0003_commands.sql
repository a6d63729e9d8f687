-- Chat commands: 'cancel' asks a running run to stop at its next checkpoint.
ALTER TABLE runs ADD COLUMN cancel_requested_by TEXT;
