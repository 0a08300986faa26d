namespace HandInHand.Infrastructure.Tests.Mail;

/// <summary>A clock that says whatever time the test sets.</summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
