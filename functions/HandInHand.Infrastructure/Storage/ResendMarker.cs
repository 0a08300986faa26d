namespace HandInHand.Infrastructure.Storage;

/// <summary>Set by <see cref="TableRetryPolicy"/> when the write it travels with was sent more than once.</summary>
internal sealed class ResendMarker
{
    internal bool Resent { get; set; }
}
