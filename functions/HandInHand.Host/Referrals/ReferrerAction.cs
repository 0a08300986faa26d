using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Referrals;

/// <summary>One of the referrer's actions, with what it takes.</summary>
public abstract record ReferrerAction
{
    private ReferrerAction()
    {
    }

    internal abstract IReadOnlyList<FieldError> Check();

    internal abstract ReferralCommand ToCommand(Actor actor, DateTimeOffset now);

    /// <summary>The referrer has given the service the information it asked for.</summary>
    public sealed record AnswerInformationRequest : ReferrerAction
    {
        internal override IReadOnlyList<FieldError> Check() => [];

        internal override ReferralCommand ToCommand(Actor actor, DateTimeOffset now) => new ReferralCommand.ReceiveInformation(actor, now);
    }

    /// <summary>The referral waiting for a place is still needed.</summary>
    public sealed record ConfirmStillNeeded : ReferrerAction
    {
        internal override IReadOnlyList<FieldError> Check() => [];

        internal override ReferralCommand ToCommand(Actor actor, DateTimeOffset now) => new ReferralCommand.ConfirmStillNeeded(actor, now);
    }

    /// <summary>The referrer withdraws the referral, saying why in words and by category.</summary>
    public sealed record Withdraw(string? Reason, NotTakenReason? Category) : ReferrerAction
    {
        internal override IReadOnlyList<FieldError> Check()
        {
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > 2000)
            {
                errors.Add(new("reason", "Give a reason of 1 to 2000 characters."));
            }

            if (Category is not { } category || !NotTakenReasons.ForWithdrawal.Contains(category))
            {
                errors.Add(new("category", "Choose a category: " + string.Join(", ", NotTakenReasons.ForWithdrawal.Select(Domain.Reports.ReportFacts.Code)) + "."));
            }

            return errors;
        }

        internal override ReferralCommand ToCommand(Actor actor, DateTimeOffset now) => new ReferralCommand.Withdraw(actor, now, Reason!, Category!.Value);
    }
}
