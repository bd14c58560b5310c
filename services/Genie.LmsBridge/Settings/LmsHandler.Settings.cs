using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.Sync;
using Genie.LmsBridge.TalentLms;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.LmsBridge;

public sealed partial class LmsHandler
{
    [Authorize(Roles = Roles.Admin)]
    public override async Task<LmsSettings> GetLmsSettings(GetLmsSettingsRequest request, ServerCallContext context) =>
        await SettingsResponseAsync(await settings.GetAsync(context.CancellationToken), context.CancellationToken);

    [Authorize(Roles = Roles.Admin)]
    public override async Task<LmsSettings> SetLmsSettings(SetLmsSettingsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var current = await settings.GetAsync(ct);
        if (string.IsNullOrWhiteSpace(request.Domain))
            throw RpcErrors.InvalidArgument("domain", "is required (e.g. \"acme\" for acme.talentlms.com)");
        try
        {
            TalentLmsConnection.ParseApiBase(request.Domain);
        }
        catch (ArgumentException e)
        {
            throw RpcErrors.InvalidArgument("domain", e.Message.Split(" (Parameter", 2)[0]);
        }
        if (string.IsNullOrWhiteSpace(request.ApiKey) && !current.ApiKeyConfigured)
            throw RpcErrors.InvalidArgument("api_key", "is required the first time");
        if (request.ApiKey.Trim() is { Length: > 0 and (< 8 or > 200) })
            throw RpcErrors.InvalidArgument("api_key", "does not look like a TalentLMS API key");
        CheckRange(request.SyncIntervalMinutes, 5, 10080, "sync_interval_minutes");
        CheckRange(request.NoProgressDays, 1, 365, "no_progress_days");
        CheckRange(request.DueSoonDays, 1, 365, "due_soon_days");
        var saved = await settings.SetAsync(new LmsSettingsChange(
            request.Domain, request.ApiKey,
            request.SyncIntervalMinutes == 0 ? null : request.SyncIntervalMinutes,
            request.NoProgressDays == 0 ? null : request.NoProgressDays,
            request.DueSoonDays == 0 ? null : request.DueSoonDays), context.GetCaller().Email, ct);
        return await SettingsResponseAsync(saved, ct);
    }

    [Authorize(Roles = Roles.Admin)]
    public override async Task<TestLmsConnectionResponse> TestLmsConnection(TestLmsConnectionRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        TalentLmsConnection? connection;
        try
        {
            connection = string.IsNullOrWhiteSpace(request.Domain) && string.IsNullOrWhiteSpace(request.ApiKey)
                ? await settings.GetConnectionAsync(ct)
                : await ConnectionToTestAsync(request, ct);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return new TestLmsConnectionResponse { Ok = false, Error = e.Message.Split(" (Parameter", 2)[0] };
        }
        if (connection is null)
            return new TestLmsConnectionResponse { Ok = false, Error = "TalentLMS is not configured yet: enter the domain and API key." };
        try
        {
            var site = await clients.Create(connection).GetSiteInfoAsync(ct);
            return new TestLmsConnectionResponse { Ok = true, HttpStatus = 200, TotalUsers = site.TotalUsers, TotalCourses = site.TotalCourses };
        }
        catch (TalentLmsApiException e)
        {
            var hint = e.IsUnauthorized ? "TalentLMS rejected the API key: " : "TalentLMS answered with an error: ";
            return new TestLmsConnectionResponse { Ok = false, HttpStatus = (int)e.Status, Error = hint + e.ApiMessage };
        }
        catch (Exception e) when (TalentLmsFetcher.IsTalentLmsFailure(e))
        {
            return new TestLmsConnectionResponse { Ok = false, Error = $"TalentLMS could not be reached at {connection.ApiBase}: {e.Message}" };
        }
    }

    /// <summary>A domain without a key tests the stored key against the new domain, and vice versa.</summary>
    private async Task<TalentLmsConnection> ConnectionToTestAsync(TestLmsConnectionRequest request, CancellationToken ct)
    {
        var stored = await settings.GetConnectionAsync(ct);
        var domain = string.IsNullOrWhiteSpace(request.Domain)
            ? stored?.ApiBase.ToString() ?? throw new ArgumentException("domain: is required")
            : request.Domain;
        var key = string.IsNullOrWhiteSpace(request.ApiKey)
            ? stored?.ApiKey ?? throw new ArgumentException("api_key: is required")
            : request.ApiKey;
        return TalentLmsConnection.Create(domain, key);
    }

    private async Task<LmsSettings> SettingsResponseAsync(LmsSettingsRecord record, CancellationToken ct)
    {
        var response = new LmsSettings
        {
            Domain = record.Domain,
            ApiKeyConfigured = record.ApiKeyConfigured,
            ApiKeyLast4 = record.ApiKeyLast4,
            SyncIntervalMinutes = record.SyncIntervalMinutes,
            NoProgressDays = record.NoProgressDays,
            DueSoonDays = record.DueSoonDays,
        };
        if ((await runs.ListAsync(1, ct)).FirstOrDefault() is { } last)
            response.LastSync = SyncMapper.ToProto(last);
        return response;
    }

    private static void CheckRange(int value, int min, int max, string field)
    {
        if (value != 0 && (value < min || value > max))
            throw RpcErrors.InvalidArgument(field, $"must be between {min} and {max} (or 0 to keep the current value)");
    }
}
