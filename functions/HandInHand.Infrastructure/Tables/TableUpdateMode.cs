namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// How a write treats the properties already stored on an entity: <see cref="Merge"/> keeps the
/// stored properties the new entity does not mention; <see cref="Replace"/> drops them.
/// </summary>
public enum TableUpdateMode
{
    /// <summary>Overwrite the properties sent and keep every other stored property (HTTP verb MERGE).</summary>
    Merge,

    /// <summary>Store exactly the properties sent, dropping every other stored property (HTTP verb PUT).</summary>
    Replace,
}
