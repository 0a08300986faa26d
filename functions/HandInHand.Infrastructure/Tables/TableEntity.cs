using System.Collections;
using System.Globalization;
using Azure;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// A table entity: its two keys, the ETag and Timestamp the service assigned, and a bag of typed
/// properties. Supported property types are <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>,
/// <see cref="long"/>, <see cref="double"/>, <see cref="DateTimeOffset"/> (stored as UTC with 100 ns
/// precision), <see cref="Guid"/> and <see cref="byte"/>[]; anything else is refused when it is set.
/// Table storage has no null: setting a property to <c>null</c> removes it from this object (a merge
/// then leaves any stored value alone; a replace drops it).
/// Enumerating yields the custom properties only, not PartitionKey, RowKey or Timestamp.
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object?>>
{
    internal const string PartitionKeyName = "PartitionKey";
    internal const string RowKeyName = "RowKey";
    internal const string TimestampName = "Timestamp";
    private const int MaxPropertyNameLength = 255;

    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);
    private string _partitionKey;
    private string _rowKey;

    /// <summary>Creates an entity with the given keys and no properties.</summary>
    public TableEntity(string partitionKey, string rowKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        _partitionKey = partitionKey;
        _rowKey = rowKey;
    }

    /// <summary>The partition key. Checked for forbidden characters when the entity is sent.</summary>
    public string PartitionKey
    {
        get => _partitionKey;
        set => _partitionKey = value ?? throw new ArgumentNullException(nameof(value), "PartitionKey cannot be null.");
    }

    /// <summary>The row key. Checked for forbidden characters when the entity is sent.</summary>
    public string RowKey
    {
        get => _rowKey;
        set => _rowKey = value ?? throw new ArgumentNullException(nameof(value), "RowKey cannot be null.");
    }

    /// <summary>The ETag the service returned when this entity was read; <c>default</c> for a new entity.</summary>
    public ETag ETag { get; set; }

    /// <summary>The service's last-modified time, when this entity was read from the service.</summary>
    public DateTimeOffset? Timestamp { get; internal set; }

    /// <summary>The number of custom properties.</summary>
    public int Count => _properties.Count;

    /// <summary>
    /// Gets or sets a property by name. <c>PartitionKey</c> and <c>RowKey</c> address the keys and
    /// <c>Timestamp</c> can be read; a missing property reads as <c>null</c>; setting <c>null</c> removes it.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid property name, or the value's type is not supported.</exception>
    public object? this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            return name switch
            {
                PartitionKeyName => _partitionKey,
                RowKeyName => _rowKey,
                TimestampName => Timestamp,
                _ => _properties.TryGetValue(name, out var value) ? value : null,
            };
        }
        set
        {
            ArgumentNullException.ThrowIfNull(name);
            switch (name)
            {
                case PartitionKeyName:
                    PartitionKey = value as string ?? throw new ArgumentException("PartitionKey must be a string.", nameof(value));
                    return;
                case RowKeyName:
                    RowKey = value as string ?? throw new ArgumentException("RowKey must be a string.", nameof(value));
                    return;
                case TimestampName:
                    throw new ArgumentException("Timestamp is set by the service and cannot be written.", nameof(name));
            }

            ValidatePropertyName(name);
            if (value is null)
            {
                _properties.Remove(name);
                return;
            }

            if (!IsSupportedValue(value))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Property '{name}' has unsupported type {value.GetType().Name}; use string, bool, int, long, double, DateTimeOffset, Guid or byte[]."),
                    nameof(value));
            }

            _properties[name] = value;
        }
    }

    /// <summary>Whether the entity has a custom property with this name.</summary>
    public bool ContainsProperty(string name) => _properties.ContainsKey(name);

    /// <summary>Reads a string property; <c>null</c> when absent.</summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public string? GetString(string name) => GetReference<string>(name);

    /// <summary>Reads a binary property; <c>null</c> when absent.</summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public byte[]? GetBinary(string name) => GetReference<byte[]>(name);

    /// <summary>Reads a bool property; <c>null</c> when absent.</summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public bool? GetBoolean(string name) => GetValue<bool>(name);

    /// <summary>Reads an Int32 property; <c>null</c> when absent.</summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public int? GetInt32(string name) => GetValue<int>(name);

    /// <summary>Reads an Int64 property (an Int32 value widens); <c>null</c> when absent.</summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public long? GetInt64(string name) => Lookup(name) switch
    {
        null => null,
        long l => l,
        int i => i,
        var other => throw WrongType(name, other, typeof(long)),
    };

    /// <summary>
    /// Reads a Double property; <c>null</c> when absent. An Int32 value is accepted because the service
    /// may return a whole-number double as a bare JSON integer without a type annotation.
    /// </summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public double? GetDouble(string name) => Lookup(name) switch
    {
        null => null,
        double d => d,
        int i => i,
        var other => throw WrongType(name, other, typeof(double)),
    };

    /// <summary>Reads a DateTimeOffset property (UTC); <c>null</c> when absent.</summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public DateTimeOffset? GetDateTimeOffset(string name) => GetValue<DateTimeOffset>(name);

    /// <summary>Reads a Guid property; <c>null</c> when absent.</summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public Guid? GetGuid(string name) => GetValue<Guid>(name);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var pair in _properties)
        {
            yield return new KeyValuePair<string, object?>(pair.Key, pair.Value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal IReadOnlyDictionary<string, object> Properties => _properties;

    /// <summary>Stores a value decoded from a service response (name and type already known to be valid).</summary>
    internal void SetFromService(string name, object value) => _properties[name] = value;

    internal static bool IsSupportedValue(object value) =>
        value is string or bool or int or long or double or DateTimeOffset or Guid or byte[];

    internal static void ValidatePropertyName(string name)
    {
        // Property names follow C# identifier rules (letters, digits, underscore; no leading digit),
        // at most 255 characters; the system property names are reserved.
        if (name.Length == 0 || name.Length > MaxPropertyNameLength)
        {
            throw new ArgumentException("A property name must have 1 to 255 characters.", nameof(name));
        }

        if (!(char.IsLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Property name '{name}' is not valid: use letters, digits and '_', not starting with a digit."),
                nameof(name));
        }
    }

    private object? Lookup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _properties.TryGetValue(name, out var value) ? value : null;
    }

    private T? GetReference<T>(string name)
        where T : class => Lookup(name) switch
        {
            null => null,
            T typed => typed,
            var other => throw WrongType(name, other, typeof(T)),
        };

    private T? GetValue<T>(string name)
        where T : struct => Lookup(name) switch
        {
            null => null,
            T typed => typed,
            var other => throw WrongType(name, other, typeof(T)),
        };

    private static InvalidOperationException WrongType(string name, object actual, Type expected) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Property '{name}' holds a {actual.GetType().Name}, not a {expected.Name}."));
}
