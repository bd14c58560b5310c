using Genie.ServiceDefaults.Auth;
using Genie.Web.Settings;
using Microsoft.AspNetCore.Authorization;

namespace Genie.Web.Authorization;

/// <summary>The portal's authorization policies; pages get them by folder convention (see <see cref="PageAuthorization"/>).</summary>
public static class Policies
{
    public const string Admin = "admin";

    /// <summary>Admins and instructors: the dashboard.</summary>
    public const string Staff = "staff";

    /// <summary>Admins, and instructors when the "instructors may manage users" setting is on.</summary>
    public const string ManageUsers = "manage-users";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(Staff, p => p.RequireRole(Roles.Admin, Roles.Instructor));
        options.AddPolicy(ManageUsers, p => p.AddRequirements(new ManageUsersRequirement()));
    }
}

public sealed class ManageUsersRequirement : IAuthorizationRequirement;

public sealed class ManageUsersHandler(PortalSettings settings) : AuthorizationHandler<ManageUsersRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ManageUsersRequirement requirement)
    {
        if (context.User.IsInRole(Roles.Admin))
            context.Succeed(requirement);
        else if (context.User.IsInRole(Roles.Instructor) && await settings.InstructorsMayManageUsersAsync())
            context.Succeed(requirement);
    }
}
