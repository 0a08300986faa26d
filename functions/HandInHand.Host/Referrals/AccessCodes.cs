using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Referrals;

/// <summary>
/// The per-referral secret a referrer uses to read a referral's status until sign-in exists:
/// 100 random-looking bits, shown as 20 characters in groups of four. It is derived from the
/// reference with a keyed hash (so a retried submission can hand the same code back) and stored
/// only as a SHA-256 hash.
/// </summary>
public sealed class AccessCodes
{
    // Crockford's base 32: no I, L, O or U, so a code read aloud or retyped survives.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private readonly byte[] _key;

    public AccessCodes(IOptions<IntakeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.Value.SecretKeyBytes();
    }

    /// <summary>The access code of the referral with <paramref name="reference"/>, formatted for people.</summary>
    public string For(string reference)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("referral-access:" + reference));
        var chars = new StringBuilder(24);
        ulong bits = 0;
        var bitCount = 0;
        var produced = 0;
        foreach (var b in mac)
        {
            bits = (bits << 8) | b;
            bitCount += 8;
            while (bitCount >= 5 && produced < 20)
            {
                if (produced > 0 && produced % 4 == 0)
                {
                    chars.Append('-');
                }

                chars.Append(Alphabet[(int)((bits >> (bitCount - 5)) & 31)]);
                bitCount -= 5;
                produced++;
            }
        }

        return chars.ToString();
    }

    /// <summary>The stored form of a code: lower-case hex SHA-256 of its normalised characters.</summary>
    public static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Normalise(code))));

    /// <summary>True when <paramref name="candidate"/> is the code whose hash is <paramref name="storedHash"/>; constant-time.</summary>
    public static bool Matches(string? candidate, string storedHash)
    {
        if (string.IsNullOrWhiteSpace(candidate) || candidate.Length > 64)
        {
            return false;
        }

        var actual = Encoding.ASCII.GetBytes(Hash(candidate));
        var expected = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Upper-cases, drops separators and reads the look-alike letters O, I and L as digits.</summary>
    private static string Normalise(string code)
    {
        var sb = new StringBuilder(code.Length);
        foreach (var c in code.ToUpperInvariant())
        {
            switch (c)
            {
                case '-' or ' ':
                    break;
                case 'O':
                    sb.Append('0');
                    break;
                case 'I' or 'L':
                    sb.Append('1');
                    break;
                case var _ when c < 128:
                    sb.Append(c);
                    break;
                default:
                    sb.Append('?');
                    break;
            }
        }

        return sb.ToString();
    }
}
