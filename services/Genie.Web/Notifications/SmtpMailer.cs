using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Genie.Web.Notifications;

/// <summary>Sends plain-text email through the configured SMTP server.</summary>
public sealed class SmtpMailer(IOptions<SmtpOptions> options)
{
    public bool IsConfigured => options.Value.IsConfigured;

    public async Task SendAsync(string to, string subject, string body, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.IsConfigured)
            throw new InvalidOperationException("SMTP is not configured (Genie:Smtp:Host).");
        using var message = new MailMessage(o.From, to, subject, body) { IsBodyHtml = false };
        using var client = new SmtpClient(o.Host!, o.Port)
        {
            EnableSsl = o.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)o.Timeout.TotalMilliseconds,
        };
        if (!string.IsNullOrEmpty(o.User))
            client.Credentials = new NetworkCredential(o.User, o.Password);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Timeout);
        await client.SendMailAsync(message, timeout.Token);
    }
}
