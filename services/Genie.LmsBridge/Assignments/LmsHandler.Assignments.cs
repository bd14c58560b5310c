using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Assignments;
using Genie.LmsBridge.Sync;
using Genie.LmsBridge.TalentLms;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.LmsBridge;

public sealed partial class LmsHandler
{
    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor)]
    public override async Task<AssignCourseResponse> AssignCourse(AssignCourseRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var email = RequireEmail(request.LearnerEmail, "learner_email");
        var courseId = RequireId(request.CourseId, "course_id");
        var scope = await access.TeamScopeAsync(context.GetCaller(), ct);
        if (scope is not null && !scope.Contains(courseId))
            throw RpcErrors.PermissionDenied($"Instructors can assign only courses they teach; you do not teach course {courseId}.");
        try
        {
            var result = await assignment.AssignAsync(email, courseId, ct);
            return new AssignCourseResponse
            {
                TalentlmsUserId = result.UserId, CourseId = result.CourseId, Role = result.Role, AlreadyEnrolled = result.AlreadyEnrolled,
            };
        }
        catch (AssignmentException e)
        {
            throw RpcErrors.InvalidArgument(e.Field, e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw RpcErrors.Of(StatusCode.FailedPrecondition, e.Message);
        }
        catch (TalentLmsApiException e)
        {
            throw RpcErrors.Of(e.IsUnauthorized ? StatusCode.FailedPrecondition : StatusCode.InvalidArgument, $"TalentLMS: {e.ApiMessage}");
        }
        catch (Exception e) when (TalentLmsFetcher.IsTalentLmsFailure(e))
        {
            throw RpcErrors.Of(StatusCode.Unavailable, $"TalentLMS could not be reached: {e.Message}");
        }
    }
}
