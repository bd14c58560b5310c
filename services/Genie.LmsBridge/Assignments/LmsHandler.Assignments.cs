using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Assignments;
using Genie.LmsBridge.Sync;
using Genie.LmsBridge.TalentLms;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Server;

namespace Genie.LmsBridge;

public sealed partial class LmsHandler
{
    [RequireRole(Roles.Admin, Roles.Instructor)]
    public async Task<AssignCourseResponse> AssignCourse(AssignCourseRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var email = RequireEmail(request.LearnerEmail, "learner_email");
        var courseId = RequireId(request.CourseId, "course_id");
        var scope = await access.TeamScopeAsync(context.Caller, ct);
        if (scope is not null && !scope.Contains(courseId))
            throw RpcException.PermissionDenied($"Instructors can assign only courses they teach; you do not teach course {courseId}.");
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
            throw RpcException.InvalidArgument(e.Field, e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(StatusCode.FailedPrecondition, e.Message);
        }
        catch (TalentLmsApiException e)
        {
            throw new RpcException(e.IsUnauthorized ? StatusCode.FailedPrecondition : StatusCode.InvalidArgument, $"TalentLMS: {e.ApiMessage}");
        }
        catch (Exception e) when (TalentLmsFetcher.IsTalentLmsFailure(e))
        {
            throw new RpcException(StatusCode.Unavailable, $"TalentLMS could not be reached: {e.Message}");
        }
    }
}
