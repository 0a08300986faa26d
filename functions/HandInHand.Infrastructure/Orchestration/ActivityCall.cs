namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// An activity's input, under the id of the one call that carries it. The activity answers with
/// the same id (<see cref="ActivityReply{T}"/>), so that the orchestration can tell its own call's
/// answer from one that reached it by mistake.
/// </summary>
/// <remarks>
/// On the Azure Storage backend an episode sends its messages before it commits its history, so an
/// episode that dies in between leaves its activities running, and their answers come back under
/// task ids the next attempt of the episode may give to other calls (it may meet its messages in
/// another order and decide otherwise). The backend matches an answer to a call by that task id
/// alone.
/// </remarks>
public sealed record ActivityCall<T>(string CallId, T Input);
