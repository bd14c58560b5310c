using System.Security.Cryptography;
using System.Text;

namespace Genie.Web.Identity;

/// <summary>
/// Random bearer secrets (invitation links, personal access tokens). Only their SHA-256 is
/// stored; the secret itself is shown once. High-entropy secrets need no salt or slow hash.
/// </summary>
public static class SecretToken
{
    public static string Create(string prefix = "") =>
        prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
