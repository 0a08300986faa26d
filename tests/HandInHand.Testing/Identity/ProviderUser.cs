namespace HandInHand.Testing.Identity;

/// <summary>Who a <see cref="LoopbackOpenIdProvider"/> signs in: an object id (never a name) and the app roles it holds.</summary>
public sealed record ProviderUser(string ObjectId, IReadOnlyList<string> Roles);
