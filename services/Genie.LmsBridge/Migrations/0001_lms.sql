-- Genie's copy of TalentLMS (ids are TalentLMS's, kept as text as the API sends them),
-- the encrypted connection settings, sync history and reminders.

CREATE TABLE lms.settings (
    id                    int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    domain                text NOT NULL,
    api_key_cipher        bytea,                       -- AES-GCM; never returned by any rpc
    api_key_last4         text NOT NULL DEFAULT '',
    sync_interval_minutes int NOT NULL DEFAULT 60 CHECK (sync_interval_minutes BETWEEN 5 AND 10080),
    no_progress_days      int NOT NULL DEFAULT 7 CHECK (no_progress_days BETWEEN 1 AND 365),
    due_soon_days         int NOT NULL DEFAULT 3 CHECK (due_soon_days BETWEEN 1 AND 365),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    updated_by            text NOT NULL DEFAULT ''
);

CREATE TABLE lms.users (
    user_id    text PRIMARY KEY,
    email      text NOT NULL,                           -- lower-cased: matched to Genie users by e-mail
    login      text NOT NULL DEFAULT '',
    first_name text NOT NULL DEFAULT '',
    last_name  text NOT NULL DEFAULT '',
    user_type  text NOT NULL DEFAULT '',
    status     text NOT NULL DEFAULT '',
    synced_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_email ON lms.users (email);

CREATE TABLE lms.courses (
    course_id      text PRIMARY KEY,
    name           text NOT NULL,
    code           text NOT NULL DEFAULT '',
    description    text NOT NULL DEFAULT '',
    status         text NOT NULL DEFAULT '',
    last_update_on text NOT NULL DEFAULT '',
    expires_at     timestamptz,
    synced_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lms.units (
    course_id  text NOT NULL REFERENCES lms.courses ON DELETE CASCADE,
    unit_id    text NOT NULL,
    position   int NOT NULL,
    name       text NOT NULL,
    type       text NOT NULL DEFAULT '',
    url        text NOT NULL DEFAULT '',
    is_section boolean NOT NULL DEFAULT false,
    PRIMARY KEY (course_id, unit_id)
);

CREATE TABLE lms.enrollments (
    course_id          text NOT NULL REFERENCES lms.courses ON DELETE CASCADE,
    user_id            text NOT NULL REFERENCES lms.users ON DELETE CASCADE,
    role               text NOT NULL DEFAULT 'learner',
    completion_percent int NOT NULL DEFAULT 0,
    status_text        text NOT NULL DEFAULT '',
    enrolled_at        timestamptz,
    completed_at       timestamptz,
    expires_at         timestamptz,
    total_time_seconds bigint NOT NULL DEFAULT 0,
    last_activity_at   timestamptz,
    -- The progress summary seen when per-unit detail was last fetched; unchanged → not fetched again.
    -- NULL means the detail is missing (new enrolment whose detail failed): fetched next time.
    fingerprint        text,
    synced_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX enrollments_user ON lms.enrollments (user_id);

CREATE TABLE lms.unit_progress (
    course_id          text NOT NULL,
    user_id            text NOT NULL,
    unit_id            text NOT NULL,
    status_text        text NOT NULL DEFAULT '',
    completed          boolean NOT NULL DEFAULT false,
    completed_at       timestamptz,
    score              text NOT NULL DEFAULT '',
    total_time_seconds bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (course_id, user_id, unit_id),
    FOREIGN KEY (course_id, user_id) REFERENCES lms.enrollments ON DELETE CASCADE
);

CREATE TABLE lms.test_results (
    course_id     text NOT NULL,
    user_id       text NOT NULL,
    test_id       text NOT NULL,
    test_name     text NOT NULL DEFAULT '',
    score_percent double precision NOT NULL DEFAULT 0,
    passed        boolean NOT NULL,
    status_text   text NOT NULL DEFAULT '',
    completed_at  timestamptz,
    questions     jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (course_id, user_id, test_id),
    FOREIGN KEY (course_id, user_id) REFERENCES lms.enrollments ON DELETE CASCADE
);

CREATE TABLE lms.sync_runs (
    id                bigserial PRIMARY KEY,
    trigger           text NOT NULL,                   -- scheduled | manual
    state             text NOT NULL,                   -- running | succeeded | partial | failed
    started_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    users             int NOT NULL DEFAULT 0,
    courses           int NOT NULL DEFAULT 0,
    enrollments       int NOT NULL DEFAULT 0,
    api_calls         int NOT NULL DEFAULT 0,
    skipped_unchanged int NOT NULL DEFAULT 0,
    error             text NOT NULL DEFAULT '',
    failures          jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX sync_runs_started ON lms.sync_runs (started_at DESC);

CREATE TABLE lms.reminders (
    id              bigserial PRIMARY KEY,
    email           text NOT NULL,
    course_id       text NOT NULL,
    course_name     text NOT NULL DEFAULT '',
    rule            text NOT NULL,                     -- no_progress | due_soon | failed_test
    cause           text NOT NULL,                     -- what exactly triggered it, e.g. the failed attempt
    reason          text NOT NULL,
    next_unit_url   text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    acknowledged_at timestamptz,
    resolved_at     timestamptz,
    UNIQUE (email, course_id, rule, cause)
);
CREATE INDEX reminders_open ON lms.reminders (email) WHERE acknowledged_at IS NULL AND resolved_at IS NULL;

CREATE TABLE lms.reminder_preferences (
    email       text PRIMARY KEY,
    quiet       boolean NOT NULL DEFAULT false,
    quiet_start time,
    quiet_end   time,
    time_zone   text NOT NULL DEFAULT 'UTC',
    updated_at  timestamptz NOT NULL DEFAULT now()
);
