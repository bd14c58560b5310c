using Genie.Contracts.Agent.V1;
using Grpc.Core;
using Genie.Web.Backends;
using Genie.Web.Identity;
using Genie.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Admin;

/// <summary>
/// Recent thumbs up/down on answers, with the question, an excerpt of the answer and the comment, newest
/// first. The Agent records every conversation shown here in its access audit, as it does for any admin
/// read of someone's conversation.
/// </summary>
public sealed class FeedbackModel(BackendClients backends, UserCalls calls, UserStore users) : PageModel
{
    public const int PageSize = 20;

    public static readonly IReadOnlyList<(string Value, string Label)> Ratings = [("up", "Helpful"), ("down", "Not helpful")];

    [BindProperty(SupportsGet = true, Name = "rating")]
    public string? RatingFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public ListFeedbackResponse? Result { get; private set; }

    /// <summary>The portal users who gave the feedback listed, by their id as the Agent knows it.</summary>
    public IReadOnlyDictionary<string, PortalUser> People { get; private set; } = new Dictionary<string, PortalUser>();

    public string? Error { get; private set; }

    public PagerModel Pager => new(Math.Max(1, PageNumber), Math.Max(1, ((Result?.TotalCount ?? 0) + PageSize - 1) / PageSize), "/Admin/Feedback",
        new Dictionary<string, string?> { ["rating"] = RatingFilter });

    public async Task OnGetAsync()
    {
        var rating = RatingFilter switch { "up" => Rating.Up, "down" => Rating.Down, _ => Rating.Unspecified };
        if (rating == Rating.Unspecified)
            RatingFilter = null;
        PageNumber = Math.Max(1, PageNumber);
        var ct = HttpContext.RequestAborted;
        try
        {
            Result = await backends.Agent.ListFeedbackAsync(new ListFeedbackRequest { Rating = rating, PageSize = PageSize, Page = PageNumber },
                calls.For(User, ct, TimeSpan.FromSeconds(15)));
        }
        catch (RpcException e)
        {
            Error = BackendErrors.Describe(e, "Agent");
            return;
        }
        var ids = Result.Items.Select(i => Guid.TryParse(i.UserId, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty);
        People = (await users.FindManyAsync(ids, ct)).ToDictionary(u => u.Id.ToString());
    }
}
