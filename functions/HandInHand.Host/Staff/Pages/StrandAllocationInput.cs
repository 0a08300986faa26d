using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The panel's allocation of an accepted Trusted Relationships referral as chosen: the practitioner
/// and the strand of support (PRODUCT.md §6), kept as posted so that a form sent back shows the choice.
/// </summary>
public sealed record StrandAllocationInput(string? PractitionerId, string? Strand, string? CommandKey)
{
    public const string PractitionerField = "practitionerId";
    public const string StrandField = "strand";
    public const string CommandKeyField = "idempotencyKey";

    /// <summary>The strands, by the code the API uses, in the panel's words.</summary>
    public static readonly IReadOnlyList<(string Code, Strand Strand, string Label)> Strands =
    [
        ("at-risk", Domain.Lifecycle.Strand.AtRisk, "At risk of exploitation: relief workers or volunteer mentors"),
        ("subject-to", Domain.Lifecycle.Strand.SubjectTo, "Subject to exploitation: a family network coordinator"),
    ];

    /// <summary>The form as posted.</summary>
    public static StrandAllocationInput From(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString().Trim() : null;
        return new(Value(PractitionerField), Value(StrandField), Value(CommandKeyField));
    }

    /// <summary>The practitioner (one of <paramref name="practitionerIds"/>) and strand, or the errors field by field.</summary>
    public (string? PractitionerId, Strand? Strand, IReadOnlyList<FieldError> Errors) Parse(IReadOnlyCollection<string> practitionerIds)
    {
        ArgumentNullException.ThrowIfNull(practitionerIds);
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(PractitionerId) || !practitionerIds.Contains(PractitionerId))
        {
            errors.Add(new(PractitionerField, "Choose the practitioner to allocate to, from the list."));
        }

        Strand? strand = Strands.Where(s => s.Code == Strand).Select(s => (Strand?)s.Strand).FirstOrDefault();
        if (strand is null)
        {
            errors.Add(new(StrandField, "Choose the strand: at risk of exploitation, or subject to it."));
        }

        return errors.Count > 0 ? (null, null, errors) : (PractitionerId, strand, errors);
    }
}
