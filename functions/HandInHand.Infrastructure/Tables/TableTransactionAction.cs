using Azure;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// One operation of an entity group transaction submitted with
/// <see cref="TableClient.SubmitTransactionAsync"/>.
/// </summary>
/// <param name="ActionType">What to do with the entity.</param>
/// <param name="Entity">The entity; for <see cref="TableTransactionActionType.Delete"/> only its keys (and ETag) are used.</param>
/// <param name="ETag">
/// The If-Match value for <c>Update*</c> and <see cref="TableTransactionActionType.Delete"/>. When left
/// at <c>default</c> the entity's own <see cref="TableEntity.ETag"/> is used; if that is empty too the
/// transaction is refused before it is sent. Pass <see cref="ETag.All"/> to overwrite or delete
/// whatever is stored. Ignored by <c>Add</c> and <c>Upsert*</c>.
/// </param>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);
