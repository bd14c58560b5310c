namespace Genie.Web.Notifications;

/// <summary>The welcome email a new user receives, with their single-use invitation link.</summary>
public static class WelcomeMessage
{
    public const string Kind = "welcome";

    public static string Subject => "Welcome to Genie Mentor";

    public static string Body(string displayName, string invitedBy, string link, DateTime expiresAt) => $"""
        Hi {displayName},

        {invitedBy} created a Genie Mentor account for you. Genie answers questions about our
        internal documentation and guides you through your learning tracks.

        Choose your password here to get started:

        {link}

        The link works once and expires on {expiresAt:dddd d MMMM yyyy, HH:mm} UTC.
        If it has expired, ask your administrator for a new one.

        — Genie Mentor
        """;
}
