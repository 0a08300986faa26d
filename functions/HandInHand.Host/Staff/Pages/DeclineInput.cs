using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The decline form as typed: the reason in words and its category (a code of
/// <see cref="NotTakenReasons.ForDecline"/>), kept raw so a form sent back shows what was typed.
/// </summary>
public sealed record DeclineInput(string? Reason, string? Category, string? CommandKey)
{
    public const string ReasonField = "reason";
    public const string CategoryField = "category";
    public const int MaxReasonLength = 2000;

    public static DeclineInput From(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        return new(Value(ReasonField)?.Trim(), Value(CategoryField)?.Trim(), Value(FirstContactInput.CommandKeyField)?.Trim());
    }

    /// <summary>The reason and category, or the errors field by field; the decider checks them again.</summary>
    public (string Reason, NotTakenReason Category, IReadOnlyList<FieldError> Errors) Parse()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > MaxReasonLength)
        {
            errors.Add(new(ReasonField, "Give the reason for declining, in up to 2000 characters."));
        }

        var category = NotTakenReasons.ForDecline.Where(r => Domain.Reports.ReportFacts.Code(r) == Category).Select(r => (NotTakenReason?)r).FirstOrDefault();
        if (category is null)
        {
            errors.Add(new(CategoryField, "Choose why the referral is declined."));
        }

        return (Reason ?? string.Empty, category ?? NotTakenReason.Other, errors);
    }
}
