using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.Testing.Hosts;
using Npgsql;

namespace Genie.Retrieval.Tests.Service;

/// <summary>A real MCP peer: <c>@modelcontextprotocol/server-filesystem</c> from tests/node, spawned over stdio by the service.</summary>
public class McpSourceTests(RetrievalTestHost service) : IClassFixture<RetrievalTestHost>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genie-mcp-").FullName;

    [Fact]
    public async Task A_folder_read_through_the_filesystem_mcp_server_is_searchable_and_secrets_stay_sealed()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "team"));
        File.WriteAllText(Path.Combine(_folder, "team", "oncall.md"), "# On-call\n\n## Pager\n\nThe platypusbeacon pager rotates every Monday.");
        File.WriteAllText(Path.Combine(_folder, "welcome.md"), "# Welcome\n\nAsk questions in the help channel.");
        File.WriteAllText(Path.Combine(_folder, "ignored.txt"), "not markdown");

        var kb = await service.CreateKbAsync("mcp");
        var source = await service.Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id,
            Name = "filesystem",
            Config = new SourceConfig
            {
                Mcp = new McpSourceConfig
                {
                    Command = "node",
                    Args = { McpServers.FilesystemScript(), _folder },
                    ListTool = "search_files",
                    ListArgumentsJson = $$"""{"path": "{{_folder}}", "pattern": "**/*.md"}""",
                    ReadTool = "read_text_file",
                    ReadArgument = "path",
                    Secrets = { ["FS_API_TOKEN"] = "tok-very-secret-123" },
                },
            },
        }, service.Admin);

        Assert.Equal(["FS_API_TOKEN"], source.SecretNames);
        Assert.Empty(source.Config.Mcp.Secrets);
        var listed = (await service.Client.ListSourcesAsync(new ListSourcesRequest { KnowledgeBaseId = kb.Id }, service.Admin)).Sources.Single();
        Assert.Empty(listed.Config.Mcp.Secrets);
        Assert.DoesNotContain("tok-very-secret-123", listed.ToString());
        await using (var db = NpgsqlDataSource.Create(service.ConnectionString))
        await using (var connection = await db.OpenConnectionAsync())
        {
            var stored = await connection.QuerySingleAsync<(string Config, byte[] Secrets)>(
                "SELECT config::text, secrets FROM retrieval.sources WHERE id = @id", new { id = Guid.Parse(source.Id) });
            Assert.DoesNotContain("tok-very-secret", stored.Config);
            Assert.DoesNotContain("tok-very-secret", System.Text.Encoding.UTF8.GetString(stored.Secrets));
        }

        var done = (await service.SyncAsync(source))[^1];
        Assert.True(done.Status == "succeeded", $"{done.Status}: {done.Error}");
        Assert.Equal(2, done.Counts.Added);

        var hits = await service.Client.SearchAsync(new SearchRequest { Query = "when does the pager rotate", KnowledgeBaseIds = { kb.Id } }, service.Admin);
        var top = hits.Hits[0];
        Assert.EndsWith("team/oncall.md", top.Uri);
        Assert.Equal("On-call", top.DocumentTitle);
        Assert.Equal(["On-call", "Pager"], top.HeadingPath);
        Assert.Contains("platypusbeacon", top.Text);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
