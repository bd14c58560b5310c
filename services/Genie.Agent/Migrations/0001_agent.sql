-- Conversations, messages and their citations and feedback; preference memory; knowledge gaps;
-- the audit of admins reading other users' conversations.
create schema if not exists agent;

create table agent.conversations (
    id                 uuid primary key,
    user_id            text not null,
    bot                text not null,
    title              text not null,
    summary            text not null default '',   -- rolling summary of messages older than the recent window
    summarized_through int not null default 0,     -- seq of the last message folded into summary
    message_count      int not null default 0,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index conversations_by_user on agent.conversations (user_id, updated_at desc, id desc);

create table agent.messages (
    id               uuid primary key,
    conversation_id  uuid not null references agent.conversations (id) on delete cascade,
    seq              int not null,
    role             text not null check (role in ('user', 'assistant')),
    content          text not null,
    standalone_query text,
    model            text,
    input_tokens     int,
    output_tokens    int,
    retrieval_ms     bigint,
    generation_ms    bigint,
    incomplete       boolean not null default false,
    fallback_reason  text,
    not_covered      boolean not null default false,
    created_at       timestamptz not null default now(),
    unique (conversation_id, seq)
);

create table agent.citations (
    message_id        uuid not null references agent.messages (id) on delete cascade,
    marker            int not null,
    chunk_id          text not null,
    knowledge_base_id text not null,
    document_title    text not null,
    uri               text not null,
    heading_path      text not null,
    snippet           text not null,
    source            text not null,
    score             double precision not null,
    primary key (message_id, marker)
);

create table agent.feedback (
    message_id uuid primary key references agent.messages (id) on delete cascade,
    user_id    text not null,
    rating     smallint not null check (rating in (1, 2)),
    comment    text not null default '',
    updated_at timestamptz not null default now()
);

create table agent.preferences (
    user_id       text primary key,
    answer_length smallint not null default 0,
    tone          text,
    language      text,
    role_team     text,
    level         text,
    updated_at    timestamptz not null default now()
);

create table agent.learned_facts (
    id              uuid primary key,
    user_id         text not null,
    kind            text not null,
    text            text not null,
    conversation_id uuid references agent.conversations (id) on delete set null,
    learned_at      timestamptz not null default now()
);
create unique index learned_facts_once on agent.learned_facts (user_id, lower(text));

create table agent.knowledge_gaps (
    id              uuid primary key,
    user_id         text not null,
    team            text,
    bot             text not null,
    question        text not null,
    terms           text[] not null,
    conversation_id uuid references agent.conversations (id) on delete set null,
    asked_at        timestamptz not null default now()
);
create index knowledge_gaps_by_time on agent.knowledge_gaps (asked_at desc);

create table agent.admin_access_audit (
    id                   bigint generated always as identity primary key,
    admin_user_id        text not null,
    admin_email          text not null,
    conversation_id      uuid not null,
    conversation_user_id text not null,
    reason               text not null,
    accessed_at          timestamptz not null default now()
);
