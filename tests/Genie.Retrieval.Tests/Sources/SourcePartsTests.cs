using System.Security.Cryptography;
using Genie.Retrieval.Sources;
using Genie.ServiceDefaults.Secrets;

namespace Genie.Retrieval.Tests.Sources;

public class SourcePartsTests
{
    [Fact]
    public void A_sources_secrets_round_trip_are_not_readable_at_rest_and_open_only_with_its_key_and_id()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var secrets = new SourceSecrets(new SecretProtector(key, SourceSecrets.Scope));
        var source = Guid.CreateVersion7();
        var sealedSecrets = secrets.Seal(source, new Dictionary<string, string> { ["NOTION_TOKEN"] = "ntn_super_secret" })!;

        Assert.DoesNotContain("ntn_super_secret", System.Text.Encoding.UTF8.GetString(sealedSecrets));
        Assert.Equal("ntn_super_secret", secrets.Open(source, sealedSecrets)["NOTION_TOKEN"]);
        Assert.NotEqual(sealedSecrets, secrets.Seal(source, new Dictionary<string, string> { ["NOTION_TOKEN"] = "ntn_super_secret" }));
        Assert.Null(secrets.Seal(source, new Dictionary<string, string>()));
        Assert.Empty(secrets.Open(source, null));

        var otherKey = new SourceSecrets(new SecretProtector(RandomNumberGenerator.GetBytes(32), SourceSecrets.Scope));
        Assert.Equal(SourceSecrets.CannotOpen, Assert.Throws<CryptographicException>(() => otherKey.Open(source, sealedSecrets)).Message);
        // Another source's row holding these bytes does not open them.
        Assert.Throws<CryptographicException>(() => secrets.Open(Guid.CreateVersion7(), sealedSecrets));
        // Nor does another service's scope under the same key.
        Assert.Throws<CryptographicException>(() => new SourceSecrets(new SecretProtector(key, "lms")).Open(source, sealedSecrets));
    }

    [Theory]
    [InlineData("**/*.md", "a/b/c.md", true)]
    [InlineData("**/*.md", "c.md", true)]
    [InlineData("*.md", "deep/dir/c.md", true)]
    [InlineData("docs/*.md", "docs/a.md", true)]
    [InlineData("docs/*.md", "docs/sub/a.md", false)]
    [InlineData("docs/**", "docs/sub/a.md", true)]
    [InlineData("drafts/**", "docs/a.md", false)]
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    public void Globs_match_relative_paths(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new Glob(pattern).IsMatch(path));

    [Fact]
    public async Task A_folder_lists_supported_files_filtered_by_globs()
    {
        var root = Directory.CreateTempSubdirectory("genie-folder-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs", "drafts"));
            File.WriteAllText(Path.Combine(root, "docs", "a.md"), "# A");
            File.WriteAllText(Path.Combine(root, "docs", "drafts", "b.md"), "# B");
            File.WriteAllText(Path.Combine(root, "docs", "c.html"), "<p>C</p>");
            File.WriteAllText(Path.Combine(root, "image.png"), "png");

            await using var all = new FolderDocumentSource(root, [], []);
            Assert.Equal(["docs/a.md", "docs/c.html", "docs/drafts/b.md"], (await all.DiscoverAsync(default)).Select(i => i.Uri));

            await using var filtered = new FolderDocumentSource(root, ["**/*.md"], ["**/drafts/**"]);
            var item = Assert.Single(await filtered.DiscoverAsync(default));
            Assert.Equal("# A", System.Text.Encoding.UTF8.GetString((await filtered.ReadAsync(item, default)).Bytes));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Mcp_list_output_is_read_as_lines_or_json()
    {
        Assert.Equal(["/d/a.md", "/d/b.md"], McpDocumentSource.ItemNames("/d/a.md\n/d/b.md\n"));
        Assert.Empty(McpDocumentSource.ItemNames("No matches found"));
        Assert.Equal(["a.md"], McpDocumentSource.ItemNames("[DIR] sub\n[FILE] a.md"));
        Assert.Equal(["x", "page-2"], McpDocumentSource.ItemNames("""["x", {"id": "page-2", "title": "T"}]"""));
    }
}
