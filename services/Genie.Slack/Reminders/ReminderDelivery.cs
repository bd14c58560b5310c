using Genie.Contracts.Lms.V1;
using Genie.Slack.Answering;
using Genie.Slack.Backends;
using Genie.Slack.Settings;
using Genie.Slack.WebApi;

namespace Genie.Slack.Reminders;

/// <summary>
/// Delivers the reminders LmsBridge decided on as Slack DMs to learners who chose Slack. LmsBridge leaves
/// out whoever is quiet now and every reminder Slack already had; each DM is recorded as delivered right
/// after it is posted, so a reminder reaches Slack once.
/// </summary>
public sealed class ReminderDelivery(SlackOptions options, SlackSecrets secrets, GenieBackends backends, SlackWebApi slack, ILogger<ReminderDelivery> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReminderInterval);
        do
        {
            await secrets.WhenConfiguredAsync(stoppingToken); // nothing to deliver through while no bot token is set
            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Delivering reminders on Slack failed ({Error}); trying again in {Interval}", e.Message, options.ReminderInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <returns>How many reminders were posted.</returns>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var delivered = 0;
        foreach (var item in await backends.RemindersToDeliverAsync(ct))
        {
            var user = await slack.LookupByEmailAsync(item.Email, ct);
            if (user is null)
                continue; // not in this workspace; the portal still shows the reminder
            var channel = await slack.OpenDirectMessageAsync(user, ct);
            var text = Text(item.Reminder);
            await slack.PostMessageAsync(channel, text, [AnswerBlocks.Section(text)], null, ct);
            await backends.MarkDeliveredAsync(item.Reminder.Id, ct);
            delivered++;
        }
        return delivered;
    }

    private static string Text(Reminder reminder)
    {
        var text = "⏰ *Reminder:* " + SlackText.Escape(reminder.Reason);
        if (!string.IsNullOrEmpty(reminder.NextUnitUrl))
            text += "\n" + SlackText.Link(reminder.NextUnitUrl, "Continue where you left off");
        return text + "\n_Turn these off with `/genie reminders off`._";
    }
}
