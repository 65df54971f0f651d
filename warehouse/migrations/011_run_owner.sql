-- Who wrote a run's `running` row: the process (host, pid and its start time in clock ticks since boot, so a
-- reused pid is not taken for the dead run's). A later run marks a `running` row whose process is gone as
-- `abandoned` (warehouse/load.py abandon_dead_runs).
ALTER TABLE runs ADD COLUMN host VARCHAR;
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN pid_started BIGINT;
