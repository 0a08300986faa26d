using System.Security.Cryptography;
using System.Text;

namespace HandInHand.Infrastructure.Protection;

/// <summary>A data-encryption key: an id (stored with every ciphertext) and 256 bits of key.</summary>
public sealed class EncryptionKeyOptions
{
    public string Id { get; set; } = string.Empty;

    /// <summary>Base64 of 32 random bytes.</summary>
    public string Key { get; set; } = string.Empty;
}

/// <summary>The data-encryption keys: every key that may still be needed to read, and the one new writes use.</summary>
public sealed class EncryptionOptions
{
    public const string SectionName = "Encryption";

    public string ActiveKeyId { get; set; } = string.Empty;

    public IList<EncryptionKeyOptions> Keys { get; set; } = [];
}

/// <summary>
/// Encrypts sensitive text before it reaches storage, with AES-256-GCM, so that a leaked storage key
/// does not reveal what the records say. The ciphertext reads <c>enc1:&lt;key id&gt;:&lt;base64 nonce|ciphertext|tag&gt;</c>:
/// the key id lets old records stay readable after a rotation while new writes use the active key.
/// The caller's context (e.g. the referral and row the text belongs to) is bound in as associated
/// data, so a ciphertext copied to another record does not decrypt.
/// </summary>
public sealed class FieldEncryption
{
    private const string Prefix = "enc1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;

    public FieldEncryption(EncryptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in options.Keys)
        {
            if (string.IsNullOrWhiteSpace(key.Id) || key.Id.Contains(':', StringComparison.Ordinal))
            {
                throw new InvalidOperationException("An encryption key id must be non-empty and contain no ':'.");
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(key.Key);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"Encryption key '{key.Id}' is not valid Base64.");
            }

            if (bytes.Length != 32)
            {
                throw new InvalidOperationException($"Encryption key '{key.Id}' must be 32 bytes.");
            }

            _keys[key.Id] = bytes;
        }

        if (!_keys.ContainsKey(options.ActiveKeyId))
        {
            throw new InvalidOperationException("Encryption:ActiveKeyId must name one of Encryption:Keys.");
        }

        _activeKeyId = options.ActiveKeyId;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> under the active key, bound to <paramref name="context"/>.</summary>
    public string Encrypt(string plaintext, string context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(context);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_activeKeyId], TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length, TagSize), Encoding.UTF8.GetBytes(context));
        return Prefix + _activeKeyId + ":" + Convert.ToBase64String(output);
    }

    /// <summary>Decrypts a value written by <see cref="Encrypt"/> under any configured key.</summary>
    /// <exception cref="CryptographicException">Wrong context, tampered text, or an unknown key id (the message names only the key id).</exception>
    public string Decrypt(string ciphertext, string context)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(context);
        if (!ciphertext.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("The value is not in the encrypted format.");
        }

        var separator = ciphertext.IndexOf(':', Prefix.Length);
        if (separator < 0)
        {
            throw new CryptographicException("The value is not in the encrypted format.");
        }

        var keyId = ciphertext[Prefix.Length..separator];
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"No encryption key with id '{keyId}' is configured.");
        }

        byte[] input;
        try
        {
            input = Convert.FromBase64String(ciphertext[(separator + 1)..]);
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("The value is not in the encrypted format.", ex);
        }

        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The value is too short to be encrypted data.");
        }

        var length = input.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length, TagSize), plain, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The id of the key a stored value was written with (for re-encryption after a rotation).</summary>
    public static string? KeyIdOf(string ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (!ciphertext.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var separator = ciphertext.IndexOf(':', Prefix.Length);
        return separator < 0 ? null : ciphertext[Prefix.Length..separator];
    }
}
