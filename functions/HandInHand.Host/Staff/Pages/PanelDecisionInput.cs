using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The panel's decision on a Trusted Relationships referral as typed: which decision, and for a
/// decline the reason in words and its category. Kept as the raw text so that a form sent back
/// with errors shows exactly what was chosen and typed.
/// </summary>
public sealed record PanelDecisionInput(string? Decision, string? Reason, string? Category, string? CommandKey)
{
    public const string DecisionField = "decision";
    public const string ReasonField = "reason";
    public const string CategoryField = "category";
    public const string CommandKeyField = "idempotencyKey";

    public const string Accept = "accept";
    public const string Decline = "decline";
    public const string RequestInformation = "request-information";
    public const string InformationReceived = "information-received";

    /// <summary>The categories of a decline, in the panel's words; the codes are the API's.</summary>
    public static readonly IReadOnlyList<(NotTakenReason Reason, string Label)> DeclineCategories =
    [
        .. NotTakenReasons.ForDecline.Select(r => (r, r switch
        {
            NotTakenReason.Criteria => "It does not meet the criteria",
            NotTakenReason.Capacity => "There is no capacity",
            _ => "Another reason",
        })),
    ];

    /// <summary>The form as posted.</summary>
    public static PanelDecisionInput From(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString().Trim() : null;
        return new(Value(DecisionField), Value(ReasonField), Value(CategoryField), Value(CommandKeyField));
    }

    /// <summary>
    /// The decisions the decider lets the panel make at <paramref name="stage"/>, as the form offers
    /// them: at triage accept, ask for more information or decline; while the referrer is asked,
    /// record that the information came (back to the decision) or decline.
    /// </summary>
    public static IReadOnlyList<(string Value, string Label)> ChoicesAt(Stage stage) => stage switch
    {
        Stage.AwaitingTriage =>
        [
            (Accept, "Accept it: the young person is then allocated to a strand"),
            (RequestInformation, "Ask the referrer for more information"),
            (Decline, "Decline it"),
        ],
        Stage.AwaitingInformation =>
        [
            (InformationReceived, "The referrer's information has come: the referral goes back to the panel's decision"),
            (Decline, "Decline it"),
        ],
        _ => [],
    };

    /// <summary>The command the form asks for, or the errors field by field (and no command).</summary>
    public (ReferralCommand? Command, IReadOnlyList<FieldError> Errors) ToCommand(Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        switch (Decision)
        {
            case Accept:
                return (new ReferralCommand.Accept(actor, now), []);
            case RequestInformation:
                return (new ReferralCommand.RequestInformation(actor, now), []);
            case InformationReceived:
                return (new ReferralCommand.ReceiveInformation(actor, now), []);
            case Decline:
                var errors = new List<FieldError>();
                if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > 2000)
                {
                    errors.Add(new(ReasonField, "Give the reason for declining, in 1 to 2000 characters. The referrer is told it."));
                }

                var category = DeclineCategories.Select(c => (NotTakenReason?)c.Reason).FirstOrDefault(r => Domain.Reports.ReportFacts.Code(r!.Value) == Category);
                if (category is null)
                {
                    errors.Add(new(CategoryField, "Choose why the referral is declined: it does not meet the criteria, there is no capacity, or another reason."));
                }

                return errors.Count > 0 ? (null, errors) : (new ReferralCommand.Decline(actor, now, Reason!, category!.Value), []);
            default:
                return (null, [new FieldError(DecisionField, "Choose the panel's decision.")]);
        }
    }
}
