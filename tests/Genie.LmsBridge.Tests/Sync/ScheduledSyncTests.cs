using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.Sync;
using Genie.Testing.Hosts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Genie.LmsBridge.Tests.Sync;

public sealed class ScheduledSyncTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private LmsBridgeTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await LmsBridgeTestHost.StartAsync(clock: _clock);
        _ = new PortalScenario(_host.TalentLms.Data);
        await _host.Admin().SetLmsSettingsAsync(new SetLmsSettingsRequest { Domain = _host.TalentLms.Domain, SyncIntervalMinutes = 30 });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Runs_when_the_interval_has_passed_since_the_last_attempt_and_not_before()
    {
        var scheduler = new ScheduledSync(_host.Service<LmsSync>(), _host.Service<LmsSettingsStore>(), _host.Service<SyncRunLog>(),
            _clock, NullLogger<ScheduledSync>.Instance);

        await scheduler.RunIfDueAsync(default);
        await scheduler.RunIfDueAsync(default);
        _clock.Now = _clock.Now.AddMinutes(31);
        await scheduler.RunIfDueAsync(default);

        var runs = await _host.Service<SyncRunLog>().ListAsync(10, default);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(("scheduled", SyncStates.Succeeded), (r.Trigger, r.State)));
    }
}
