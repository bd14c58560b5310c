-- Analytics read messages by time and feedback newest first.
create index messages_by_time on agent.messages (created_at);
create index feedback_by_time on agent.feedback (updated_at desc, message_id desc);
