-- The envelope and the observe loop: a finished run's goal verdict (met / not_met / inconclusive, why, the
-- evidence) beside its status; what a model is doing for a run right now (shown on its card); the numbers a
-- step's tool reported (status, count, value), which the step's expectation is checked against on resume too.
ALTER TABLE runs ADD COLUMN goal_json TEXT;
ALTER TABLE runs ADD COLUMN activity TEXT;
ALTER TABLE step_attempts ADD COLUMN measures_json TEXT;
