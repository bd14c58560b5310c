using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Sync;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.LmsBridge;

public sealed partial class LmsHandler
{
    [Authorize(Roles = Roles.Admin)]
    public override async Task SyncNow(SyncNowRequest request, IServerStreamWriter<SyncProgress> responses, ServerCallContext context)
    {
        SyncOutcome outcome;
        try
        {
            outcome = await sync.RunAsync("manual",
                step => new ValueTask(responses.WriteAsync(new SyncProgress
                {
                    State = SyncState.Running, Stage = step.Stage, Done = step.Done, Total = step.Total, Message = step.Message,
                })),
                context.CancellationToken);
        }
        catch (SyncAlreadyRunningException e)
        {
            throw RpcErrors.Of(StatusCode.Aborted, e.Message);
        }
        var run = SyncMapper.ToProto(outcome.Run);
        await responses.WriteAsync(new SyncProgress
        {
            State = run.State,
            Stage = "done",
            Done = run.Courses,
            Total = run.Courses,
            Message = run.State switch
            {
                SyncState.Succeeded => $"Synced {run.Users} users, {run.Courses} courses, {run.Enrollments} enrolments.",
                SyncState.Partial => $"Synced with {run.Failures.Count} failure(s); those parts kept their previous data.",
                _ => $"Sync failed; the previous data is intact. {run.Error}",
            },
            Run = run,
        });
    }

    [Authorize(Roles = Roles.Admin)]
    public override async Task<ListSyncRunsResponse> ListSyncRuns(ListSyncRunsRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > 100)
            throw RpcErrors.InvalidArgument("limit", "must be between 1 and 100 (0 for the default of 20)");
        var response = new ListSyncRunsResponse();
        response.Runs.AddRange((await runs.ListAsync(request.Limit == 0 ? 20 : request.Limit, context.CancellationToken)).Select(SyncMapper.ToProto));
        return response;
    }
}
