using System.Globalization;
using Azure.Data.Tables;

namespace HandInHand.Infrastructure.Storage;

/// <summary>
/// The one check of PartitionKey and RowKey before a request is built. Table Storage refuses
/// <c>/ \ # ?</c>, control characters and keys over 1 KiB, but only after the round trip and with a
/// generic 400 (Azurite) or an <c>OutOfRangeInput</c> (Azure); '#' and '?' would even cut the URL
/// short. Messages name the field, never its value: keys may hold personal data.
/// </summary>
internal static class TableKeys
{
    // Keys are stored as UTF-16 and may take up to 1 KiB, i.e. 512 UTF-16 code units (what Azurite enforces too).
    private const int MaxKeyBytes = 1024;

    internal static void Check(string? partitionKey, string? rowKey, string paramName)
    {
        CheckKey(partitionKey, nameof(ITableEntity.PartitionKey), paramName);
        CheckKey(rowKey, nameof(ITableEntity.RowKey), paramName);
    }

    internal static void Check(ITableEntity? entity, string paramName)
    {
        ArgumentNullException.ThrowIfNull(entity, paramName);
        Check(entity.PartitionKey, entity.RowKey, paramName);
    }

    private static void CheckKey(string? key, string field, string paramName)
    {
        if (key is null)
        {
            throw new ArgumentNullException(paramName, string.Create(CultureInfo.InvariantCulture, $"{field} cannot be null."));
        }

        if (key.Length * sizeof(char) > MaxKeyBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{field} is longer than 1 KiB (512 UTF-16 characters)."), paramName);
        }

        foreach (char c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{field} contains a character Table Storage does not allow in keys ('/', '\\', '#', '?' or a control character)."),
                    paramName);
            }
        }
    }
}
