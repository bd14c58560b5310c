using Genie.Contracts.Lms.V1;
using Genie.LmsBridge.Progress;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.LmsBridge;

public sealed partial class LmsHandler
{
    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<LearnerProgress> GetMyProgress(GetMyProgressRequest request, ServerCallContext context) =>
        await LearnerProgressAsync(context.GetCaller().Email, context.GetCaller().Name, null, context.CancellationToken);

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner + "," + Roles.Service)]
    public override async Task<LearnerProgress> GetLearnerProgress(GetLearnerProgressRequest request, ServerCallContext context)
    {
        var email = RequireEmail(request.Email, "email");
        var scope = await access.LearnerScopeAsync(context.GetCaller(), email, context.CancellationToken);
        if (scope is { Count: 0 })
            throw RpcErrors.PermissionDenied("You teach no TalentLMS courses, so no learner is in your scope.");
        var result = await LearnerProgressAsync(email, "", scope, context.CancellationToken);
        if (scope is not null && result.Courses.Count == 0)
            throw RpcErrors.PermissionDenied($"{email} is not enrolled in any course you teach.");
        return result;
    }

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<ListAssignedCoursesResponse> ListAssignedCourses(ListAssignedCoursesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var courses = await progress.LoadAsync(new EnrollmentFilter(Emails: [context.GetCaller().Email]), ct);
        var response = new ListAssignedCoursesResponse { DataAsOf = ProgressMapper.Stamp(await runs.LastGoodAsync(ct)) };
        response.Courses.AddRange(courses.Select(ProgressMapper.ToAssignedCourse));
        return response;
    }

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<CourseDetail> GetCourse(GetCourseRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var courseId = RequireId(request.CourseId, "course_id");
        var caller = context.GetCaller();
        var course = await progress.GetCourseAsync(courseId, ct) ?? throw RpcErrors.NotFound("course", courseId);
        var mine = (await progress.LoadAsync(new EnrollmentFilter(Emails: [caller.Email], CourseIds: [courseId]), ct)).FirstOrDefault();
        if (mine is null && !caller.IsAdmin)
            throw RpcErrors.PermissionDenied($"You are not enrolled in course {courseId}.");

        var detail = new CourseDetail
        {
            CourseId = course.CourseId, Name = course.Name, Code = course.Code, Description = course.Description,
            Status = course.Status, Learners = course.Learners, ExpiresAt = ProgressMapper.Stamp(course.ExpiresAt),
        };
        var units = mine?.Units ?? course.Units;
        detail.Units.AddRange(units.Select(u => new CourseUnit
        {
            UnitId = u.UnitId, Name = u.Name, Type = u.Type, Url = u.Url, Position = u.Position, IsSection = u.IsSection,
            StatusText = u.StatusText, Completed = u.Completed, Score = u.Score, CompletedAt = ProgressMapper.Stamp(u.CompletedAt),
        }));
        if (mine is not null)
            detail.MyProgress = ProgressMapper.ToCourseProgress(mine);
        return detail;
    }

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Learner)]
    public override async Task<TestResult> GetLastTestResult(GetLastTestResultRequest request, ServerCallContext context)
    {
        var filter = new EnrollmentFilter(
            Emails: [context.GetCaller().Email],
            CourseIds: string.IsNullOrWhiteSpace(request.CourseId) ? null : [request.CourseId.Trim()]);
        var latest = (await progress.LoadAsync(filter, context.CancellationToken))
            .SelectMany(e => e.Tests.Select(t => (Enrollment: e, Test: t)))
            .OrderByDescending(x => x.Test.CompletedAt ?? DateTimeOffset.MinValue)
            .FirstOrDefault();
        if (latest.Test is null)
            return new TestResult { Found = false };
        var result = new TestResult
        {
            Found = true,
            CourseId = latest.Enrollment.CourseId,
            CourseName = latest.Enrollment.CourseName,
            Score = ProgressMapper.ToTestScore(latest.Test),
        };
        result.Questions.AddRange(latest.Test.Questions.Select(ProgressMapper.ToQuestion));
        return result;
    }

    [Authorize(Roles = Roles.Admin + "," + Roles.Instructor + "," + Roles.Service)]
    public override async Task<TeamProgress> GetTeamProgress(GetTeamProgressRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var scope = await access.TeamScopeAsync(context.GetCaller(), ct);
        IReadOnlyCollection<string>? courses = scope;
        if (!string.IsNullOrWhiteSpace(request.CourseId))
        {
            var courseId = request.CourseId.Trim();
            if (scope is not null && !scope.Contains(courseId))
                throw RpcErrors.PermissionDenied($"You do not teach course {courseId}.");
            courses = [courseId];
        }
        var response = new TeamProgress { DataAsOf = ProgressMapper.Stamp(await runs.LastGoodAsync(ct)) };
        if (courses is { Count: 0 })
            return response;
        var rows = await progress.LoadAsync(new EnrollmentFilter(CourseIds: courses, Role: "learner"), ct);
        response.Rows.AddRange(rows.Select(ProgressMapper.ToTeamRow));
        return response;
    }

    private async Task<LearnerProgress> LearnerProgressAsync(string email, string fallbackName, IReadOnlyCollection<string>? courses, CancellationToken ct)
    {
        var user = await progress.FindUserAsync(email, ct);
        var enrollments = user is null ? [] : await progress.LoadAsync(new EnrollmentFilter(Emails: [email], CourseIds: courses), ct);
        return ProgressMapper.ToLearnerProgress(email.Trim().ToLowerInvariant(), user?.FullName ?? fallbackName, user?.UserId, enrollments,
            await runs.LastGoodAsync(ct));
    }

    private static string RequireEmail(string value, string field)
    {
        var email = (value ?? "").Trim();
        if (email.Length == 0)
            throw RpcErrors.InvalidArgument(field, "is required");
        if (email.Length > 320 || email.IndexOf('@') is <= 0 || email.EndsWith('@'))
            throw RpcErrors.InvalidArgument(field, $"'{email}' is not an e-mail address");
        return email;
    }

    private static string RequireId(string value, string field)
    {
        var id = (value ?? "").Trim();
        if (id.Length == 0)
            throw RpcErrors.InvalidArgument(field, "is required");
        if (id.Length > 32 || !id.All(char.IsAsciiDigit))
            throw RpcErrors.InvalidArgument(field, $"'{id}' is not a TalentLMS id");
        return id;
    }
}
