-- Reminders delivered as Slack DMs: the learner's choice, and which reminders Slack already had
-- (a reminder reaches a channel once).

ALTER TABLE lms.reminder_preferences ADD COLUMN slack boolean NOT NULL DEFAULT false;

CREATE TABLE lms.reminder_deliveries (
    reminder_id  bigint NOT NULL REFERENCES lms.reminders (id) ON DELETE CASCADE,
    channel      text NOT NULL CHECK (channel IN ('slack')),
    delivered_at timestamptz NOT NULL,
    PRIMARY KEY (reminder_id, channel)
);
