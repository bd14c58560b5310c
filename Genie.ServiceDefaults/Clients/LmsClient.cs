using Genie.Contracts.Common.V1;
using Genie.Contracts.Lms.V1;
using Genie.ServiceDefaults.Grpc.Client;

namespace Genie.ServiceDefaults.Clients;

/// <summary>Typed client of <c>genie.lms.v1.LmsService</c>. Reads are idempotent (retried on transient failures).</summary>
public sealed class LmsClient(GrpcChannel channel) : GrpcClientBase(channel, LmsReflection.Descriptor.Services[0])
{
    public Task<ServiceInfo> GetServiceInfoAsync(GetServiceInfoRequest request, CallOptions? options = null) =>
        UnaryAsync<GetServiceInfoRequest, ServiceInfo>("GetServiceInfo", request, options, idempotent: true);

    public Task<LearnerProgress> GetMyProgressAsync(GetMyProgressRequest request, CallOptions? options = null) =>
        UnaryAsync<GetMyProgressRequest, LearnerProgress>("GetMyProgress", request, options, idempotent: true);

    public Task<ListAssignedCoursesResponse> ListAssignedCoursesAsync(ListAssignedCoursesRequest request, CallOptions? options = null) =>
        UnaryAsync<ListAssignedCoursesRequest, ListAssignedCoursesResponse>("ListAssignedCourses", request, options, idempotent: true);

    public Task<CourseDetail> GetCourseAsync(GetCourseRequest request, CallOptions? options = null) =>
        UnaryAsync<GetCourseRequest, CourseDetail>("GetCourse", request, options, idempotent: true);

    public Task<TestResult> GetLastTestResultAsync(GetLastTestResultRequest request, CallOptions? options = null) =>
        UnaryAsync<GetLastTestResultRequest, TestResult>("GetLastTestResult", request, options, idempotent: true);

    public Task<ListRemindersResponse> ListRemindersAsync(ListRemindersRequest request, CallOptions? options = null) =>
        UnaryAsync<ListRemindersRequest, ListRemindersResponse>("ListReminders", request, options, idempotent: true);

    public Task<Reminder> AcknowledgeReminderAsync(AcknowledgeReminderRequest request, CallOptions? options = null) =>
        UnaryAsync<AcknowledgeReminderRequest, Reminder>("AcknowledgeReminder", request, options, idempotent: true);

    public Task<ReminderPreferences> GetReminderPreferencesAsync(GetReminderPreferencesRequest request, CallOptions? options = null) =>
        UnaryAsync<GetReminderPreferencesRequest, ReminderPreferences>("GetReminderPreferences", request, options, idempotent: true);

    public Task<ReminderPreferences> SetReminderPreferencesAsync(ReminderPreferences request, CallOptions? options = null) =>
        UnaryAsync<ReminderPreferences, ReminderPreferences>("SetReminderPreferences", request, options, idempotent: true);

    public Task<LearnerProgress> GetLearnerProgressAsync(GetLearnerProgressRequest request, CallOptions? options = null) =>
        UnaryAsync<GetLearnerProgressRequest, LearnerProgress>("GetLearnerProgress", request, options, idempotent: true);

    public Task<TeamProgress> GetTeamProgressAsync(GetTeamProgressRequest request, CallOptions? options = null) =>
        UnaryAsync<GetTeamProgressRequest, TeamProgress>("GetTeamProgress", request, options, idempotent: true);

    /// <summary>Enrols in TalentLMS; not retried automatically (a repeat reports already_enrolled).</summary>
    public Task<AssignCourseResponse> AssignCourseAsync(AssignCourseRequest request, CallOptions? options = null) =>
        UnaryAsync<AssignCourseRequest, AssignCourseResponse>("AssignCourse", request, options);

    public Task<LmsSettings> GetLmsSettingsAsync(GetLmsSettingsRequest request, CallOptions? options = null) =>
        UnaryAsync<GetLmsSettingsRequest, LmsSettings>("GetLmsSettings", request, options, idempotent: true);

    public Task<LmsSettings> SetLmsSettingsAsync(SetLmsSettingsRequest request, CallOptions? options = null) =>
        UnaryAsync<SetLmsSettingsRequest, LmsSettings>("SetLmsSettings", request, options, idempotent: true);

    public Task<TestLmsConnectionResponse> TestLmsConnectionAsync(TestLmsConnectionRequest request, CallOptions? options = null) =>
        UnaryAsync<TestLmsConnectionRequest, TestLmsConnectionResponse>("TestLmsConnection", request, options, idempotent: true);

    /// <summary>Runs a sync; yields progress, the last message carries the final state and the run.</summary>
    public IAsyncEnumerable<SyncProgress> SyncNow(SyncNowRequest request, CallOptions? options = null) =>
        ServerStreamingAsync<SyncNowRequest, SyncProgress>("SyncNow", request, options);

    public Task<ListSyncRunsResponse> ListSyncRunsAsync(ListSyncRunsRequest request, CallOptions? options = null) =>
        UnaryAsync<ListSyncRunsRequest, ListSyncRunsResponse>("ListSyncRuns", request, options, idempotent: true);

    /// <summary>Only the Slack service's own token may call it.</summary>
    public Task<ListSlackRemindersResponse> ListSlackRemindersAsync(ListSlackRemindersRequest request, CallOptions? options = null) =>
        UnaryAsync<ListSlackRemindersRequest, ListSlackRemindersResponse>("ListSlackReminders", request, options, idempotent: true);

    /// <summary>Only the Slack service's own token may call it; repeating it is harmless.</summary>
    public Task<MarkReminderDeliveredResponse> MarkReminderDeliveredAsync(MarkReminderDeliveredRequest request, CallOptions? options = null) =>
        UnaryAsync<MarkReminderDeliveredRequest, MarkReminderDeliveredResponse>("MarkReminderDelivered", request, options, idempotent: true);
}
