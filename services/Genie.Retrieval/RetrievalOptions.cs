using Genie.Retrieval.Chunking;
using Microsoft.Extensions.Configuration;

namespace Genie.Retrieval;

/// <summary><c>Genie:Retrieval</c> settings.</summary>
public sealed class RetrievalOptions
{
    /// <summary>Instructors manage only the knowledge bases they created (else every one).</summary>
    public bool InstructorsManageOwnOnly { get; set; } = true;

    /// <summary>Largest file UploadDocument accepts (the rpc's message limit is a little above it).</summary>
    public int MaxUploadBytes { get; set; } = UploadMessageLimit - 64 * 1024;

    /// <summary>Largest document a sync indexes; bigger ones are recorded as errors.</summary>
    public long MaxDocumentBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Documents indexed at once during a sync.</summary>
    public int SyncParallelism { get; set; } = 3;

    public string PdfToTextPath { get; set; } = "pdftotext";

    /// <summary>How often the scheduler looks for sources due for a re-sync.</summary>
    public int SchedulerPollSeconds { get; set; } = 30;

    public ChunkingOptions Chunking { get; set; } = new();

    public const int UploadMessageLimit = 32 * 1024 * 1024;

    public static RetrievalOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new RetrievalOptions();
        configuration.GetSection("Genie:Retrieval").Bind(options);
        return options;
    }
}
