-- Unqualified names land in the runner's schema (search_path = <schema>, public).
CREATE TABLE notes (
    id serial PRIMARY KEY,
    body text NOT NULL,
    embedding vector(3)
);

CREATE TABLE run_log (script text NOT NULL);
