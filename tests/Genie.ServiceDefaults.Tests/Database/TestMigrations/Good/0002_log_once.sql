-- Applied twice, this would leave two rows: the concurrency test counts them.
INSERT INTO run_log (script) VALUES ('0002_log_once');
