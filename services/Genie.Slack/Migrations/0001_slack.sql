-- What the Slack adapter must remember: which events it has taken (Slack delivers at least once),
-- which Genie conversation a Slack thread is, and which placeholders are still being answered.

CREATE TABLE slack.events (
    event_id    text PRIMARY KEY,                 -- Slack's event_id, identical across retries
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_received_at ON slack.events (received_at);

CREATE TABLE slack.threads (
    channel_id      text NOT NULL,
    thread_ts       text NOT NULL,                -- the parent message's ts
    slack_user_id   text NOT NULL,                -- conversations belong to one person
    conversation_id text NOT NULL,
    bot             text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, thread_ts, slack_user_id)
);

-- A placeholder posted and not yet replaced by its answer. Rows left here by a crash are turned into
-- "something went wrong, please ask again" when the service starts.
CREATE TABLE slack.pending_answers (
    channel_id text NOT NULL,
    ts         text NOT NULL,
    posted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, ts)
);
