using System.Security.Cryptography;
using HandInHand.Infrastructure.Protection;

namespace HandInHand.Infrastructure.Tests.Protection;

public class FieldEncryptionTests
{
    private static EncryptionKeyOptions NewKey(string id) => new() { Id = id, Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    private static readonly EncryptionKeyOptions K1 = NewKey("k1");
    private static readonly EncryptionKeyOptions K2 = NewKey("k2");

    [Fact]
    public void TextRoundTripsAndTheCiphertextRevealsNothing()
    {
        var encryption = new FieldEncryption(new EncryptionOptions { ActiveKeyId = "k1", Keys = [K1] });

        var secret = "Contact with older adults online – Zqxmarker 🙂";
        var stored = encryption.Encrypt(secret, "HH-2026-00001|form");

        Assert.StartsWith("enc1:k1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Zqxmarker", stored, StringComparison.Ordinal);
        Assert.NotEqual(stored, encryption.Encrypt(secret, "HH-2026-00001|form"));
        Assert.Equal(secret, encryption.Decrypt(stored, "HH-2026-00001|form"));
    }

    [Fact]
    public void AfterRotationOldRecordsStayReadableAndNewWritesUseTheNewKey()
    {
        var before = new FieldEncryption(new EncryptionOptions { ActiveKeyId = "k1", Keys = [K1] });
        var old = before.Encrypt("old record", "ctx");

        var after = new FieldEncryption(new EncryptionOptions { ActiveKeyId = "k2", Keys = [K1, K2] });
        var fresh = after.Encrypt("new record", "ctx");

        Assert.Equal("old record", after.Decrypt(old, "ctx"));
        Assert.Equal("k2", FieldEncryption.KeyIdOf(fresh));
        Assert.Equal("new record", after.Decrypt(fresh, "ctx"));
        Assert.Throws<CryptographicException>(() => before.Decrypt(fresh, "ctx"));
    }

    [Fact]
    public void ACiphertextMovedToAnotherRecordOrAlteredDoesNotDecrypt()
    {
        var encryption = new FieldEncryption(new EncryptionOptions { ActiveKeyId = "k1", Keys = [K1] });
        var stored = encryption.Encrypt("text", "HH-2026-00001|form");
        var bytes = Convert.FromBase64String(stored["enc1:k1:".Length..]);
        bytes[^1] ^= 1;
        var tampered = "enc1:k1:" + Convert.ToBase64String(bytes);

        Assert.ThrowsAny<CryptographicException>(() => encryption.Decrypt(stored, "HH-2026-00002|form"));
        Assert.ThrowsAny<CryptographicException>(() => encryption.Decrypt(tampered, "HH-2026-00001|form"));
        Assert.ThrowsAny<CryptographicException>(() => encryption.Decrypt("plain text", "HH-2026-00001|form"));
    }

    [Fact]
    public void BadKeyConfigurationIsRefusedAtStart()
    {
        Assert.Throws<InvalidOperationException>(() => new FieldEncryption(new EncryptionOptions { ActiveKeyId = "k9", Keys = [K1] }));
        Assert.Throws<InvalidOperationException>(() => new FieldEncryption(new EncryptionOptions { ActiveKeyId = "k1", Keys = [new EncryptionKeyOptions { Id = "k1", Key = Convert.ToBase64String(new byte[16]) }] }));
        Assert.Throws<InvalidOperationException>(() => new FieldEncryption(new EncryptionOptions { ActiveKeyId = "k:1", Keys = [new EncryptionKeyOptions { Id = "k:1", Key = K1.Key }] }));
    }
}
