using Genie.Cli.Config;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Portal.V1;
using Genie.Contracts.Retrieval.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Genie.Cli;

/// <summary>
/// A signed-in user's connection to Genie: the stored configuration, a JWT kept fresh from the personal access
/// token, and gRPC clients of the services at the addresses the portal handed out.
/// </summary>
public sealed class GenieSession : IDisposable
{
    /// <summary>Exchange again when the JWT has less than this left, so a call never starts with a dying token.</summary>
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);

    private readonly CliEnvironment _environment;
    private readonly Dictionary<string, GrpcChannel> _channels = new();

    private GenieSession(CliEnvironment environment, CliConfig config)
    {
        _environment = environment;
        Config = config;
    }

    public CliConfig Config { get; }

    /// <summary>The stored session; fails with "run genie login" when there is none.</summary>
    public static GenieSession Open(CliEnvironment environment)
    {
        var config = CliConfig.Load(environment.ConfigDirectory);
        if (!config.IsSignedIn)
            throw new CliException("not logged in; run 'genie login --url <Genie's gRPC address>' first");
        return new GenieSession(environment, config);
    }

    /// <summary>Exchanges <paramref name="personalAccessToken"/> at <paramref name="url"/> and stores the result.</summary>
    public static async Task<GenieSession> LoginAsync(CliEnvironment environment, string url, string personalAccessToken, CancellationToken ct)
    {
        var session = new GenieSession(environment, new CliConfig { Url = url, PersonalAccessToken = personalAccessToken });
        await session.RefreshAsync(ct);
        return session;
    }

    public PortalService.PortalServiceClient Portal => new(Channel(Config.Url, "portal"));

    public AgentService.AgentServiceClient Agent => new(Channel(Config.AgentUrl, "agent"));

    public RetrievalService.RetrievalServiceClient Retrieval => new(Channel(Config.RetrievalUrl, "retrieval"));

    public LmsService.LmsServiceClient Lms => new(Channel(Config.LmsBridgeUrl, "LmsBridge"));

    /// <summary>Call options bearing a JWT valid for at least the refresh margin.</summary>
    public async Task<CallOptions> CallAsync(CancellationToken ct, TimeSpan? timeout = null)
    {
        if (Config.AccessToken.Length == 0 || Config.AccessTokenExpiresAt - DateTimeOffset.UtcNow < RefreshMargin)
            await RefreshAsync(ct);
        return new CallOptions(
            headers: new Metadata { { "authorization", "Bearer " + Config.AccessToken } },
            deadline: timeout is { } t ? DateTime.UtcNow + t : null,
            cancellationToken: ct);
    }

    /// <summary>Runs a unary call; when a service rejects the JWT (expired early, key rotated) exchanges once more and retries.</summary>
    public async Task<T> UnaryAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken ct)
    {
        try
        {
            return await call(await CallAsync(ct));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
        {
            await RefreshAsync(ct);
            return await call(await CallAsync(ct));
        }
    }

    /// <summary>Exchanges the personal access token for a new JWT and saves it with the service addresses.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        ExchangeTokenResponse response;
        try
        {
            response = await Portal.ExchangeTokenAsync(new ExchangeTokenRequest { PersonalAccessToken = Config.PersonalAccessToken }, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
        {
            throw new CliException("your personal access token was revoked or is unknown, or its owner is deactivated; create a new one in the portal and run 'genie login'");
        }
        Config.AccessToken = response.AccessToken;
        Config.AccessTokenExpiresAt = response.ExpiresAt.ToDateTimeOffset();
        Config.UserId = response.UserId;
        Config.Email = response.Email;
        Config.Role = response.Role;
        Config.AgentUrl = response.Endpoints?.Agent ?? "";
        Config.RetrievalUrl = response.Endpoints?.Retrieval ?? "";
        Config.LmsBridgeUrl = response.Endpoints?.LmsBridge ?? "";
        Config.McpUrl = response.Endpoints?.Mcp ?? "";
        Config.Save(_environment.ConfigDirectory);
    }

    private GrpcChannel Channel(string address, string service)
    {
        if (string.IsNullOrEmpty(address))
            throw new CliException($"the portal at {Config.Url} did not say where the {service} service is; ask an admin to deploy it (or set Genie:Tools:Endpoints)");
        if (!_channels.TryGetValue(address, out var channel))
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new CliException($"'{address}' is not an http:// or https:// address of the {service} service");
            _channels[address] = channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        }
        return channel;
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
            channel.Dispose();
    }
}
