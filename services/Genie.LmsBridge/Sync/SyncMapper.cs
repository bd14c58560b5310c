using System.Globalization;
using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Progress;

namespace Genie.LmsBridge.Sync;

public static class SyncMapper
{
    public static SyncRun ToProto(SyncRunRecord r)
    {
        var run = new SyncRun
        {
            Id = r.Id.ToString(CultureInfo.InvariantCulture),
            Trigger = r.Trigger,
            State = StateOf(r.State),
            StartedAt = ProgressMapper.Stamp(r.StartedAt),
            FinishedAt = ProgressMapper.Stamp(r.FinishedAt),
            Users = r.Users,
            Courses = r.Courses,
            Enrollments = r.Enrollments,
            ApiCalls = r.ApiCalls,
            SkippedUnchanged = r.SkippedUnchanged,
            Error = r.Error,
        };
        run.Failures.AddRange(r.Failures);
        return run;
    }

    public static SyncState StateOf(string state) => state switch
    {
        SyncStates.Running => SyncState.Running,
        SyncStates.Succeeded => SyncState.Succeeded,
        SyncStates.Partial => SyncState.Partial,
        SyncStates.Failed => SyncState.Failed,
        _ => SyncState.Unspecified,
    };
}
