namespace HandInHand.Infrastructure.Orchestration;

/// <summary>An activity's answer, with the id of the call it answers (see <see cref="ActivityCall{T}"/>).</summary>
public sealed record ActivityReply<T>(string CallId, T Output);
