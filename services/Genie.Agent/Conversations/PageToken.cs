using System.Globalization;
using System.Text;

namespace Genie.Agent.Conversations;

/// <summary>Keyset position in the newest-first list: the last row's (updated_at, id). Opaque to clients.</summary>
public sealed record PageToken(DateTime UpdatedAt, Guid Id)
{
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UpdatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}|{Id}"));

    public static bool TryDecode(string token, out PageToken? value)
    {
        value = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(parts[1], out var id))
                return false;
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
            value = new PageToken(new DateTime(ticks, DateTimeKind.Utc), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
