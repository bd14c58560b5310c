-- People, how they get in, what they may use, and what admins did.
CREATE SCHEMA IF NOT EXISTS portal;

CREATE TABLE portal.users (
    id               uuid PRIMARY KEY,
    email            text NOT NULL,
    display_name     text NOT NULL,
    role             text NOT NULL CHECK (role IN ('admin', 'instructor', 'learner')),
    active           boolean NOT NULL DEFAULT true,
    password_hash    text NULL,
    failed_attempts  integer NOT NULL DEFAULT 0,
    lockout_until    timestamptz NULL,
    -- Changes whenever the password, role or active flag changes: outstanding cookies stop working.
    security_stamp   uuid NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at  timestamptz NULL
);
CREATE UNIQUE INDEX users_email_key ON portal.users (lower(email));
CREATE INDEX users_created_at_idx ON portal.users (created_at DESC);

CREATE TABLE portal.invitations (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES portal.users (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz NULL
);
CREATE INDEX invitations_user_idx ON portal.invitations (user_id);

CREATE TABLE portal.personal_access_tokens (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES portal.users (id) ON DELETE CASCADE,
    name          text NOT NULL,
    token_hash    bytea NOT NULL UNIQUE,
    token_prefix  text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz NULL,
    revoked_at    timestamptz NULL
);
CREATE INDEX personal_access_tokens_user_idx ON portal.personal_access_tokens (user_id);

-- A bot is available to a user when assigned to them or to their role.
CREATE TABLE portal.bot_assignments (
    id          uuid PRIMARY KEY,
    bot         text NOT NULL CHECK (bot IN ('onboarding', 'learning')),
    user_id     uuid NULL REFERENCES portal.users (id) ON DELETE CASCADE,
    role        text NULL CHECK (role IN ('admin', 'instructor', 'learner')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((user_id IS NULL) <> (role IS NULL))
);
CREATE UNIQUE INDEX bot_assignments_user_key ON portal.bot_assignments (bot, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX bot_assignments_role_key ON portal.bot_assignments (bot, role) WHERE role IS NOT NULL;

CREATE TABLE portal.settings (
    key         text PRIMARY KEY,
    value       text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  uuid NULL
);

CREATE TABLE portal.audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid NULL,
    actor_email  text NOT NULL,
    action       text NOT NULL,
    target       text NOT NULL,
    detail       text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON portal.audit_log (at DESC);

-- Outbound messages (welcome emails). The body holds an invitation link, so it is stored
-- protected with Data Protection, never in plain text.
CREATE TABLE portal.notifications (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL,
    user_id          uuid NULL REFERENCES portal.users (id) ON DELETE SET NULL,
    recipient        text NOT NULL,
    subject          text NOT NULL,
    body_protected   text NOT NULL,
    link_protected   text NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'portal_only')),
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text NULL,
    next_attempt_at  timestamptz NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz NULL
);
CREATE INDEX notifications_due_idx ON portal.notifications (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX notifications_user_idx ON portal.notifications (user_id);

-- The Data Protection key ring, shared by every replica of the portal.
CREATE TABLE portal.data_protection_keys (
    id             serial PRIMARY KEY,
    friendly_name  text NOT NULL UNIQUE,
    xml            text NOT NULL
);
