using System.Text;
using Dapper;
using Genie.Contracts.Lms.V1;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.LmsBridge.Tests.Settings;

public sealed class SettingsTests : IAsyncLifetime
{
    private LmsBridgeTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await LmsBridgeTestHost.StartAsync(connectTalentLms: false);
        _ = new PortalScenario(_host.TalentLms.Data);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_api_key_is_stored_encrypted_and_only_its_last_four_characters_come_back()
    {
        var admin = _host.Admin();

        var saved = await admin.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = _host.TalentLms.Domain, ApiKey = _host.TalentLms.ApiKey, SyncIntervalMinutes = 30 });
        var renamed = await admin.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = _host.TalentLms.Domain + "/" });
        var read = await admin.GetLmsSettingsAsync(new GetLmsSettingsRequest());

        Assert.True(saved.ApiKeyConfigured);
        Assert.Equal(_host.TalentLms.ApiKey[^4..], saved.ApiKeyLast4);
        Assert.Equal(30, read.SyncIntervalMinutes);
        Assert.Equal((true, _host.TalentLms.ApiKey[^4..]), (renamed.ApiKeyConfigured, renamed.ApiKeyLast4));
        Assert.DoesNotContain(_host.TalentLms.ApiKey, read.ToString());
        await using var db = await _host.Db.OpenConnectionAsync();
        var cipher = await db.ExecuteScalarAsync<byte[]>("SELECT api_key_cipher FROM lms.settings");
        Assert.DoesNotContain(_host.TalentLms.ApiKey, Encoding.UTF8.GetString(cipher!));
        Assert.Equal(1 + 12 + 16 + _host.TalentLms.ApiKey.Length, cipher!.Length);
    }

    [Fact]
    public async Task Test_connection_reports_a_wrong_key_in_TalentLms_own_words()
    {
        var admin = _host.Admin();

        var wrong = await admin.TestLmsConnectionAsync(new TestLmsConnectionRequest { Domain = _host.TalentLms.Domain, ApiKey = "not-the-right-key" });
        var right = await admin.TestLmsConnectionAsync(new TestLmsConnectionRequest { Domain = _host.TalentLms.Domain, ApiKey = _host.TalentLms.ApiKey });

        Assert.False(wrong.Ok);
        Assert.Equal(401, wrong.HttpStatus);
        Assert.Equal("TalentLMS rejected the API key: Invalid API key provided", wrong.Error);
        Assert.True(right.Ok);
        Assert.Equal((5, 2), (right.TotalUsers, right.TotalCourses));
    }

    [Fact]
    public async Task Test_connection_uses_the_stored_settings_and_says_when_there_are_none()
    {
        var admin = _host.Admin();

        var unconfigured = await admin.TestLmsConnectionAsync(new TestLmsConnectionRequest());
        await admin.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = _host.TalentLms.Domain, ApiKey = "stale-key-1234" });
        var stale = await admin.TestLmsConnectionAsync(new TestLmsConnectionRequest());
        var newKeyStoredDomain = await admin.TestLmsConnectionAsync(new TestLmsConnectionRequest { ApiKey = _host.TalentLms.ApiKey });

        Assert.False(unconfigured.Ok);
        Assert.Contains("not configured", unconfigured.Error);
        Assert.False(stale.Ok);
        Assert.Contains("Invalid API key provided", stale.Error);
        Assert.True(newKeyStoredDomain.Ok);
    }

    [Fact]
    public async Task A_sync_with_a_wrong_key_fails_clearly_and_keeps_the_previous_data()
    {
        var admin = _host.Admin();
        await admin.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = _host.TalentLms.Domain, ApiKey = _host.TalentLms.ApiKey });
        await _host.SyncAsync();
        await admin.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = _host.TalentLms.Domain, ApiKey = "revoked-key-9999" });

        var messages = new List<SyncProgress>();
        await foreach (var message in admin.SyncNow(new SyncNowRequest()).ResponseStream.ReadAllAsync())
            messages.Add(message);
        var settings = await admin.GetLmsSettingsAsync(new GetLmsSettingsRequest());

        Assert.Equal(SyncState.Failed, messages[^1].State);
        Assert.Equal("TalentLMS rejected the API key: Invalid API key provided", messages[^1].Run.Error);
        Assert.Equal(SyncState.Failed, settings.LastSync.State);
        var progress = await _host.Client("learner", "ann.lee@example.com").GetMyProgressAsync(new GetMyProgressRequest());
        Assert.Equal(25, Assert.Single(progress.Courses).CompletionPercent);
    }

    [Fact]
    public async Task Invalid_settings_are_rejected_with_the_field_and_nothing_is_saved()
    {
        var admin = _host.Admin();

        var domain = await Assert.ThrowsAsync<RpcException>(async () =>
            await admin.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = "http://acme.example.com", ApiKey = "abcdefgh1234" }));
        var key = await Assert.ThrowsAsync<RpcException>(async () =>
            await admin.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = "acme" }));
        var interval = await Assert.ThrowsAsync<RpcException>(async () =>
            await admin.SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = "acme", ApiKey = "abcdefgh1234", SyncIntervalMinutes = 1 }));
        var read = await admin.GetLmsSettingsAsync(new GetLmsSettingsRequest());

        Assert.StartsWith("domain:", domain.Status.Detail);
        Assert.StartsWith("api_key:", key.Status.Detail);
        Assert.StartsWith("sync_interval_minutes:", interval.Status.Detail);
        Assert.False(read.ApiKeyConfigured);
    }
}
