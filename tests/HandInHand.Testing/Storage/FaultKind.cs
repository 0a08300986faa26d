namespace HandInHand.Testing.Storage;

/// <summary>What the proxy does to one request.</summary>
public enum FaultKind
{
    /// <summary>Forwarded untouched.</summary>
    None,
    /// <summary>Held back for a while, then forwarded.</summary>
    Latency,
    /// <summary>Answered 503 ServerBusy without reaching storage (nothing applied).</summary>
    ServerBusy,
    /// <summary>Answered 500 OperationTimedOut; half of these reach storage first (outcome unknown to the caller).</summary>
    OperationTimeout,
    /// <summary>The connection is dropped before the request reaches storage.</summary>
    Dropped,
    /// <summary>Forwarded and applied, then the connection is dropped instead of the answer.</summary>
    ResetAfterApplied,
}
