using System.Text;
using System.Text.RegularExpressions;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>Reads a single-part message as SmtpClient writes it: headers, then a 7bit, quoted-printable or base64 body.</summary>
public static partial class MailText
{
    public static string Header(this ReceivedMail mail, string name)
    {
        var headers = mail.Data[..Math.Max(0, mail.Data.IndexOf("\r\n\r\n", StringComparison.Ordinal))];
        var unfolded = headers.Replace("\r\n ", " ").Replace("\r\n\t", " ");
        foreach (var line in unfolded.Split("\r\n"))
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
                return line[(name.Length + 1)..].Trim();
        return "";
    }

    public static string Body(this ReceivedMail mail)
    {
        var split = mail.Data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var raw = split < 0 ? "" : mail.Data[(split + 4)..];
        return mail.Header("Content-Transfer-Encoding").ToLowerInvariant() switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(raw.Split("\r\n")))),
            "quoted-printable" => DecodeQuotedPrintable(raw),
            _ => raw,
        };
    }

    /// <summary>The invitation link in the message.</summary>
    public static string InvitationLink(this ReceivedMail mail) =>
        InvitationLinkPattern().Match(mail.Body()).Value is { Length: > 0 } link
            ? link
            : throw new InvalidOperationException("The email has no invitation link:\n" + mail.Body());

    private static string DecodeQuotedPrintable(string text)
    {
        var joined = text.Replace("=\r\n", "");
        var bytes = new List<byte>();
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(Convert.ToByte(joined.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(joined[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [GeneratedRegex(@"https?://\S+/Account/Invitation\?token=[A-Za-z0-9_%\-]+")]
    private static partial Regex InvitationLinkPattern();
}
