using Genie.Web.Setup;
using Genie.ServiceDefaults.Rpc;
using Genie.Web.AccessTokens;
using Genie.Web.Backends;
using Genie.Web.SystemHealth;
using Genie.Web.Audit;
using Genie.Web.Authorization;
using Genie.Web.Bots;
using Genie.Web.Identity;
using Genie.Web.Infrastructure;
using Genie.Web.Mcp;
using Genie.Web.Notifications;
using Genie.Web.Settings;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Genie.Web;

/// <summary>Registers the portal's own parts: identity, notifications, settings, pages.</summary>
public static class PortalServices
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<PortalIdentityOptions>(builder.Configuration.GetSection(PortalIdentityOptions.Section));
        services.Configure<SmtpOptions>(builder.Configuration.GetSection(SmtpOptions.Section));

        services.AddSingleton<IPasswordHasher<PortalUser>, PasswordHasher<PortalUser>>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<InvitationStore>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PortalSettings>();
        services.AddSingleton<BotAssignments>();
        services.AddSingleton<FirstRunChecklist>();
        services.AddSingleton<PersonalAccessTokens>();
        services.AddSingleton<ToolEndpointDirectory>();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<NotificationSignal>();
        services.AddSingleton<SmtpMailer>();
        services.AddSingleton<SlackWelcome>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddHostedService<FirstAdmin>();

        services.AddBackends();
        services.AddSingleton<SystemStatus>();
        services.AddGrpcService<PortalHandler>();

        services.AddDataProtection().SetApplicationName("genie-portal");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            o => o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>())));

        services.AddScoped<CookieValidation>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/Account/SignIn";
                o.LogoutPath = "/Account/SignOut";
                o.Cookie.Name = "genie.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = builder.Configuration.GetSection(PortalIdentityOptions.Section).Get<PortalIdentityOptions>()?.SessionLifetime
                    ?? new PortalIdentityOptions().SessionLifetime;
                o.EventsType = typeof(CookieValidation);
            });
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IAuthorizationHandler, ManageUsersHandler>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "genie.af";
            o.HeaderName = "RequestVerificationToken";
        });
        services.AddRazorPages(o => PageAuthorization.Apply(o.Conventions))
            .AddMvcOptions(o => o.ModelBinderProviders.Insert(0, new CheckboxBinderProvider()));
        services.AddGenieMcp();
        return builder;
    }

    private static void TryAddSingleton<T>(this IServiceCollection services, T instance) where T : class
    {
        if (!services.Any(d => d.ServiceType == typeof(T)))
            services.AddSingleton(instance);
    }
}
