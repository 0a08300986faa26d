namespace HandInHand.Infrastructure.Tables;

/// <summary>The operation one <see cref="TableTransactionAction"/> performs inside an entity group transaction.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; the transaction fails if the entity exists.</summary>
    Add,

    /// <summary>Insert or merge, unconditionally.</summary>
    UpsertMerge,

    /// <summary>Insert or replace, unconditionally.</summary>
    UpsertReplace,

    /// <summary>Merge into the existing entity if its ETag matches.</summary>
    UpdateMerge,

    /// <summary>Replace the existing entity if its ETag matches.</summary>
    UpdateReplace,

    /// <summary>Delete the existing entity if its ETag matches.</summary>
    Delete,
}
