using System.Text.Json;
using System.Text.Json.Serialization;

namespace Genie.Cli.Config;

/// <summary>
/// What <c>genie login</c> stores: the portal's gRPC address, the personal access token, the current short-lived
/// JWT and where the services are. One JSON file, readable by its owner only (mode 600 in a 700 directory).
/// </summary>
public sealed class CliConfig
{
    public const string FileName = "config.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Url { get; set; } = "";

    public string PersonalAccessToken { get; set; } = "";

    public string AccessToken { get; set; } = "";

    public DateTimeOffset AccessTokenExpiresAt { get; set; }

    public string UserId { get; set; } = "";

    public string Email { get; set; } = "";

    public string Role { get; set; } = "";

    public string AgentUrl { get; set; } = "";

    public string RetrievalUrl { get; set; } = "";

    public string LmsBridgeUrl { get; set; } = "";

    public string McpUrl { get; set; } = "";

    [JsonIgnore]
    public bool IsSignedIn => Url.Length > 0 && PersonalAccessToken.Length > 0;

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static CliConfig Load(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
            return new CliConfig();
        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path), Json) ?? new CliConfig();
        }
        catch (JsonException)
        {
            throw new CliException($"{path} is not valid JSON; run 'genie logout' and 'genie login' again");
        }
    }

    public void Save(string directory)
    {
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(directory);
            else
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var path = PathIn(directory);
        var temporary = path + ".tmp";
        // Created with mode 600 before the secret is written, then moved over the old file in one step.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
            JsonSerializer.Serialize(stream, this, Json);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }

    public static bool Delete(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }
}
