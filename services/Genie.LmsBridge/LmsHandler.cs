using Genie.Contracts.Common.V1;
using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Assignments;
using Genie.LmsBridge.Progress;
using Genie.LmsBridge.Reminders;
using Genie.LmsBridge.Settings;
using Genie.LmsBridge.Sync;
using Genie.LmsBridge.TalentLms;
using Genie.ServiceDefaults.Hosting;
using Grpc.Core;

namespace Genie.LmsBridge;

/// <summary>
/// Serves <c>genie.lms.v1.LmsService</c>. The rpcs are grouped by feature in partial files next to
/// the code they use (Progress/, Reminders/, Settings/, Sync/, Assignments/).
/// </summary>
public sealed partial class LmsHandler(
    ServiceInfoProvider serviceInfo,
    ProgressReader progress,
    LmsAccess access,
    ReminderStore reminders,
    LmsSettingsStore settings,
    TalentLmsClientFactory clients,
    LmsSync sync,
    SyncRunLog runs,
    CourseAssignment assignment,
    TimeProvider time) : LmsService.LmsServiceBase
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context) =>
        serviceInfo.GetAsync(context.CancellationToken);
}
