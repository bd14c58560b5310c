using Microsoft.Extensions.Options;

namespace Genie.Web.Notifications;

/// <summary>
/// Delivers pending email notifications, retrying failures with exponential backoff. Every failure
/// is recorded on the notification (shown to admins); after the last attempt it is marked failed
/// and waits for an admin's "retry now" — never dropped.
/// </summary>
public sealed class NotificationDispatcher(
    NotificationStore store,
    SmtpMailer mailer,
    NotificationSignal signal,
    IOptions<SmtpOptions> options,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Notification dispatch failed; trying again at the next poll");
            }
            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends one batch of due notifications; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        if (!mailer.IsConfigured)
            return 0;
        var due = await store.ClaimDueAsync(10, Lease, ct);
        foreach (var notification in due)
        {
            try
            {
                await mailer.SendAsync(notification.Recipient, notification.Subject, store.ReadBody(notification), ct);
                await store.MarkSentAsync(notification.Id, ct);
                logger.LogInformation("Sent {Kind} notification {Id} to {Recipient}", notification.Kind, notification.Id, notification.Recipient);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var attempts = notification.Attempts + 1;
                DateTime? retryAt = attempts >= options.Value.MaxAttempts
                    ? null
                    : time.GetUtcNow().UtcDateTime + options.Value.DelayAfter(attempts);
                var error = Describe(ex);
                await store.MarkAttemptFailedAsync(notification.Id, error, retryAt, ct);
                logger.LogWarning("Sending notification {Id} to {Recipient} failed (attempt {Attempts}): {Error}; {Next}",
                    notification.Id, notification.Recipient, attempts, error, retryAt is null ? "giving up until an admin retries" : $"retrying at {retryAt:O}");
            }
        }
        return due.Count;
    }

    private static string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
            if (!parts.Contains(e.Message))
                parts.Add(e.Message);
        var text = string.Join(" → ", parts);
        return text.Length > 500 ? text[..500] : text;
    }
}
