namespace HandInHand.Testing.Http;

/// <summary>What the peer does with a request it has read.</summary>
public sealed class LoopbackAnswer
{
    private LoopbackAnswer(LoopbackAnswerKind kind, byte[] bytes)
    {
        Kind = kind;
        Bytes = bytes;
    }

    public LoopbackAnswerKind Kind { get; }

    public byte[] Bytes { get; }

    /// <summary>Write these bytes (a whole response) and keep the connection open for the next request.</summary>
    public static LoopbackAnswer Respond(byte[] response) => new(LoopbackAnswerKind.Respond, response);

    /// <summary>Close the connection without a byte of answer.</summary>
    public static LoopbackAnswer Close() => new(LoopbackAnswerKind.Close, []);

    /// <summary>Reset the connection (linger 0) without a byte of answer.</summary>
    public static LoopbackAnswer Reset() => new(LoopbackAnswerKind.Reset, []);

    /// <summary>Write these bytes (part of a response), then shut the connection down.</summary>
    public static LoopbackAnswer Partial(byte[] start) => new(LoopbackAnswerKind.Partial, start);

    /// <summary>Never answer, until the peer is disposed.</summary>
    public static LoopbackAnswer Hang() => new(LoopbackAnswerKind.Hang, []);
}
