using System.Security.Cryptography;
using Genie.ServiceDefaults.Secrets;

namespace Genie.ServiceDefaults.Tests.Secrets;

public sealed class SecretProtectorTests
{
    private static SecretProtector Protector(byte fill, string scope = "lms") => new(Enumerable.Repeat(fill, 32).ToArray(), scope);

    [Fact]
    public void Round_trips_and_uses_a_fresh_nonce_each_time()
    {
        var protector = Protector(1);

        var first = protector.Protect("key-123", "purpose");
        var second = protector.Protect("key-123", "purpose");

        Assert.Equal("key-123", protector.Unprotect(first, "purpose"));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Tampering_another_key_another_purpose_or_another_service_is_detected()
    {
        var protector = Protector(1);
        var data = protector.Protect("key-123", "purpose");
        var tampered = (byte[])data.Clone();
        tampered[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(tampered, "purpose"));
        Assert.ThrowsAny<CryptographicException>(() => Protector(2).Unprotect(data, "purpose"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(data, "other"));
        Assert.ThrowsAny<CryptographicException>(() => Protector(1, "slack").Unprotect(data, "purpose"));
    }
}
