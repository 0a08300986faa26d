using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using HandInHand.Domain.Referrals;

namespace HandInHand.Infrastructure.Referrals;

/// <summary>
/// The stored JSON form of a <see cref="ReferralForm"/>, and its fingerprint. The serialization is
/// fixed (property order, camelCase, enums as names) so that equal forms always give equal bytes.
/// </summary>
public static class ReferralFormJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(ReferralForm form) => JsonSerializer.Serialize(form, Options);

    public static ReferralForm Deserialize(string json) =>
        JsonSerializer.Deserialize<ReferralForm>(json, Options) ?? throw new InvalidDataException("A stored referral form is empty.");

    /// <summary>Lower-case hex SHA-256 of the form's canonical JSON.</summary>
    public static string Fingerprint(ReferralForm form) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(form, Options)));
}
