using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Genie.LmsBridge;

/// <summary>LmsBridge's own traces and metrics (picked up by the service defaults' "Genie.*" filters).</summary>
public static class LmsTelemetry
{
    public const string Name = "Genie.LmsBridge";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> SyncRuns =
        Meter.CreateCounter<long>("genie.lms.sync.runs", description: "TalentLMS syncs by final state");

    public static readonly Counter<long> ApiCalls =
        Meter.CreateCounter<long>("genie.lms.talentlms.calls", description: "Requests made to TalentLMS (transient retries are counted by the resilience handler's own metrics)");

    public static readonly Counter<long> RateLimitWaits =
        Meter.CreateCounter<long>("genie.lms.talentlms.rate_limit_waits", description: "TalentLMS calls that waited for the rate limit to reset");

    public static readonly Counter<long> RemindersCreated =
        Meter.CreateCounter<long>("genie.lms.reminders.created", description: "Reminders created by the rules");
}
