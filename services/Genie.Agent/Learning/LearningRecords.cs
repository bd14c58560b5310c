using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Clients;
using Grpc.Core;

namespace Genie.Agent.Learning;

/// <summary>What LmsBridge answered, or why it could not.</summary>
public sealed record LearningLookup<T>(T? Value, string? Problem) where T : class
{
    public static LearningLookup<T> Found(T value) => new(value, null);

    public static LearningLookup<T> Failed(string problem) => new(null, problem);
}

/// <summary>
/// The caller's learning data from LmsBridge, always fetched with the caller's own bearer token: who the
/// learner is comes from that token at LmsBridge, never from anything the Agent (or the model) passes.
/// Failures become a <see cref="LearningLookup{T}.Problem"/> the bot can explain instead of an error.
/// </summary>
public sealed class LearningRecords(Func<LmsService.LmsServiceClient?> lms)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public Task<LearningLookup<LearnerProgress>> ProgressAsync(string userToken, CancellationToken cancelled) =>
        CallAsync((client, options) => client.GetMyProgressAsync(new GetMyProgressRequest(), options), userToken, cancelled);

    public Task<LearningLookup<ListAssignedCoursesResponse>> CoursesAsync(string userToken, CancellationToken cancelled) =>
        CallAsync((client, options) => client.ListAssignedCoursesAsync(new ListAssignedCoursesRequest(), options), userToken, cancelled);

    public Task<LearningLookup<CourseDetail>> CourseAsync(string userToken, string courseId, CancellationToken cancelled) =>
        CallAsync((client, options) => client.GetCourseAsync(new GetCourseRequest { CourseId = courseId }, options), userToken, cancelled);

    public Task<LearningLookup<TestResult>> LastTestAsync(string userToken, string? courseId, CancellationToken cancelled) =>
        CallAsync((client, options) => client.GetLastTestResultAsync(new GetLastTestResultRequest { CourseId = courseId ?? "" }, options), userToken, cancelled);

    public Task<LearningLookup<ListRemindersResponse>> RemindersAsync(string userToken, CancellationToken cancelled) =>
        CallAsync((client, options) => client.ListRemindersAsync(new ListRemindersRequest(), options), userToken, cancelled);

    private async Task<LearningLookup<T>> CallAsync<T>(Func<LmsService.LmsServiceClient, CallOptions, AsyncUnaryCall<T>> call, string userToken, CancellationToken cancelled)
        where T : class
    {
        var client = lms();
        if (client is null) return LearningLookup<T>.Failed("LmsBridge is not configured for the Agent (services__lmsbridge__grpc__0)");
        try
        {
            return LearningLookup<T>.Found(await call(client, BearerToken.Options(userToken, CallTimeout, cancelled)));
        }
        catch (RpcException e) when (!cancelled.IsCancellationRequested)
        {
            return LearningLookup<T>.Failed(e.StatusCode switch
            {
                StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"LmsBridge is unavailable ({e.Status.Detail})",
                _ => $"LmsBridge answered {e.StatusCode}: {e.Status.Detail}",
            });
        }
    }
}
