using Genie.Slack.Answering;
using Genie.Slack.Commands;
using Genie.Slack.Settings;

namespace Genie.Slack.Inbound;

/// <summary>
/// Works the queue with <see cref="SlackOptions.Workers"/> loops. At start it first turns placeholders a
/// previous run left unanswered (it stopped mid-answer) into "something went wrong, please ask again".
/// </summary>
public sealed class SlackWorkers(
    SlackWorkQueue queue, SlackAnswerer answerer, SlashCommands commands, SlackStore store, SlackOptions options, SlackSecrets secrets,
    TimeProvider time, ILogger<SlackWorkers> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await secrets.WhenConfiguredAsync(stoppingToken); // idle until a bot token is configured or saved
        await RecoverAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => WorkAsync(stoppingToken)));
    }

    private async Task RecoverAsync(CancellationToken ct)
    {
        try
        {
            foreach (var (channel, ts) in await store.ListPendingAsync(_startedAt, ct))
                await answerer.MarkFailedAsync(channel, ts);
            await store.ForgetOldEventsAsync(_startedAt.AddDays(-1), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Could not clean up after the previous run");
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await (work switch
                    {
                        QuestionWork question => answerer.AnswerAsync(question, ct),
                        CommandWork command => commands.RunAsync(command, ct),
                        FeedbackWork feedback => commands.FeedbackAsync(feedback, ct),
                        _ => Task.CompletedTask,
                    });
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogError(e, "Slack work {Kind} for {User} failed", work.GetType().Name, work.SlackUserId);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
