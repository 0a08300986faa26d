namespace HandInHand.Infrastructure.Workflow;

/// <summary>There is no referral with that reference.</summary>
public sealed class ReferralNotFoundException : Exception
{
    public ReferralNotFoundException()
        : base("No referral has this reference.")
    {
    }

    public ReferralNotFoundException(string message)
        : base(message)
    {
    }

    public ReferralNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
