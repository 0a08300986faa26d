namespace HandInHand.Testing.Email;

/// <summary>Whether a <see cref="PeerAnswer"/> is an HTTP response or a broken exchange.</summary>
public enum PeerAnswerKind
{
    Respond,
    Close,
    Partial,
    Hang,
}
