namespace HandInHand.Testing.Http;

/// <summary>What a <see cref="LoopbackAnswer"/> tells the peer to do with the connection.</summary>
public enum LoopbackAnswerKind
{
    Respond,
    Close,
    Reset,
    Partial,
    Hang,
}
