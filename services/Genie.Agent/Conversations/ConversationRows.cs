namespace Genie.Agent.Conversations;

// Rows as Dapper reads them (snake_case columns map to these names with MatchNamesWithUnderscores).

public sealed class ConversationRow
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string Bot { get; set; } = "";
    public string Title { get; set; } = "";
    public string Summary { get; set; } = "";
    public int SummarizedThrough { get; set; }
    public int MessageCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class MessageRow
{
    public Guid Id { get; set; }
    public Guid ConversationId { get; set; }
    public int Seq { get; set; }
    public string Role { get; set; } = "";
    public string Content { get; set; } = "";
    public string? StandaloneQuery { get; set; }
    public string? Model { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }
    public bool Incomplete { get; set; }
    public string? FallbackReason { get; set; }
    public bool NotCovered { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class CitationRow
{
    public Guid MessageId { get; set; }
    public int Marker { get; set; }
    public string ChunkId { get; set; } = "";
    public string KnowledgeBaseId { get; set; } = "";
    public string DocumentTitle { get; set; } = "";
    public string Uri { get; set; } = "";
    public string HeadingPath { get; set; } = "";
    public string Snippet { get; set; } = "";
    public string Source { get; set; } = "";
    public double Score { get; set; }
}

public sealed class FeedbackRow
{
    public Guid MessageId { get; set; }
    public string UserId { get; set; } = "";
    public short Rating { get; set; }
    public string Comment { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}
