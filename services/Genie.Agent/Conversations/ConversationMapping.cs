using Genie.Contracts.Agent.V1;
using Google.Protobuf.WellKnownTypes;

namespace Genie.Agent.Conversations;

internal static class ConversationMapping
{
    public static ConversationSummary ToSummary(this ConversationRow row) => new()
    {
        Id = row.Id.ToString(),
        Bot = row.Bot,
        Title = row.Title,
        CreatedAt = Utc(row.CreatedAt),
        UpdatedAt = Utc(row.UpdatedAt),
        MessageCount = row.MessageCount,
    };

    public static Message ToMessage(this MessageRow row, IEnumerable<CitationRow> citations, FeedbackRow? feedback)
    {
        var message = new Message
        {
            Id = row.Id.ToString(),
            Role = row.Role,
            Content = row.Content,
            CreatedAt = Utc(row.CreatedAt),
            Model = row.Model ?? "",
            Incomplete = row.Incomplete,
            FallbackReason = row.FallbackReason ?? "",
            NotCovered = row.NotCovered,
            InputTokens = row.InputTokens ?? 0,
            OutputTokens = row.OutputTokens ?? 0,
        };
        message.Citations.AddRange(citations.OrderBy(c => c.Marker).Select(ToCitation));
        if (feedback is not null) message.Feedback = feedback.ToFeedback();
        return message;
    }

    public static Citation ToCitation(this CitationRow row) => new()
    {
        Marker = row.Marker,
        ChunkId = row.ChunkId,
        KnowledgeBaseId = row.KnowledgeBaseId,
        DocumentTitle = row.DocumentTitle,
        Uri = row.Uri,
        HeadingPath = row.HeadingPath,
        Snippet = row.Snippet,
        Source = row.Source,
        Score = row.Score,
    };

    public static Feedback ToFeedback(this FeedbackRow row) => new()
    {
        MessageId = row.MessageId.ToString(),
        Rating = (Rating)row.Rating,
        Comment = row.Comment,
        UpdatedAt = Utc(row.UpdatedAt),
    };

    public static Timestamp Utc(DateTime value) => Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
