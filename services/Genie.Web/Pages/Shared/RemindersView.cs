using Genie.Contracts.Lms.V1;

namespace Genie.Web.Pages.Shared;

/// <summary>The reminder list partial's model: the reminders and where "dismiss" returns to.</summary>
public sealed record RemindersView(IReadOnlyList<Reminder> Reminders, string ReturnUrl);
