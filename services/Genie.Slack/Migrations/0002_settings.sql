-- What an admin saves in the portal (Admin → Slack). Secrets are sealed with AES-256-GCM (SecretProtector,
-- scope "slack"); only their ciphertext is stored. A NULL secret falls back to configuration (Genie:Slack:*).

CREATE TABLE slack.settings (
    id             int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    bot_token      bytea,
    app_token      bytea,
    signing_secret bytea,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     text NOT NULL DEFAULT ''
);

-- Per channel: which knowledge bases its questions search (empty: all the asker may read), and whether
-- the bot stays silent there. Channels without a row get the defaults.
CREATE TABLE slack.channel_settings (
    channel_id         text PRIMARY KEY,
    channel_name       text NOT NULL DEFAULT '',
    knowledge_base_ids text[] NOT NULL DEFAULT '{}',
    silent             boolean NOT NULL DEFAULT false,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         text NOT NULL DEFAULT ''
);
