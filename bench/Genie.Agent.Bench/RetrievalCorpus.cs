using Genie.Contracts.Retrieval.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Genie.Agent.Bench;

/// <summary>Fills a knowledge base in the real Retrieval service with the 18F pages (repeated as copies) until it holds the wanted chunk count.</summary>
public static class RetrievalCorpus
{
    public static async Task<int> IngestAsync(RetrievalService.RetrievalServiceClient retrieval, CallOptions admin, string dataFolder, int chunks)
    {
        var kb = await retrieval.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest
        {
            Name = "18F handbook (bench)",
            Grants = new Grants { Roles = { "learner" } },
        }, admin);
        var source = await retrieval.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id,
            Name = "uploads",
            Config = new SourceConfig { Upload = new UploadSourceConfig() },
        }, admin);
        var files = Directory.EnumerateFiles(dataFolder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var total = 0;
        for (var copy = 0; total < chunks; copy++)
        {
            foreach (var file in files)
            {
                if (total >= chunks) break;
                var name = $"{copy}-{Path.GetRelativePath(dataFolder, file).Replace('/', '_')}";
                try
                {
                    var response = await retrieval.UploadDocumentAsync(new UploadDocumentRequest
                    {
                        SourceId = source.Id,
                        FileName = name,
                        Content = ByteString.CopyFrom(await File.ReadAllBytesAsync(file)),
                    }, admin);
                    total += response.Document.ChunkCount;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Internal or StatusCode.InvalidArgument)
                {
                    // A page Retrieval cannot index is skipped (and reported once): the benchmark measures chat, not ingestion.
                    if (copy == 0) Console.Error.WriteLine($"skipped {name}: {e.Status.Detail}");
                }
            }
        }
        return total;
    }
}
