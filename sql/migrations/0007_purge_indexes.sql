-- 0007_purge_indexes.sql: indexes for the purges that run at every login.
--
-- A login deletes the device cookies past their lifetime (created_at) and
-- the throttle rows whose window is over (window_start). Without an index
-- each of those DELETEs reads the whole table: with millions of employees
-- the device table holds a row per device each has logged in from, and a
-- spray of guesses fills the throttle table just when logins are busiest.

CREATE INDEX login_device_created_at ON login_device (created_at);

CREATE INDEX login_throttle_window_start ON login_throttle (window_start);
