using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// What a case page shows besides the case: a notice in plain words (the step was recorded, is
/// being recorded, or no longer fits), and the first-contact form as it was sent back, with its errors.
/// </summary>
internal sealed record CasePageExtras(string? Notice = null, FirstContactInput? FirstContact = null, IReadOnlyList<FieldError>? FieldErrors = null)
{
    public static readonly CasePageExtras None = new();

    public IReadOnlyList<FieldError> Errors => FieldErrors ?? [];

    /// <summary>The manager's triage and allocation forms belong on the page (see <see cref="TriageForms.AreFor"/>).</summary>
    public bool ShowTriage { get; init; }

    /// <summary>The decline form as it was sent back.</summary>
    public DeclineInput? Decline { get; init; }

    /// <summary>The allocation form as it was sent back.</summary>
    public AllocateInput? Allocate { get; init; }

    /// <summary>The practitioners to allocate to, best first; null where allocation is not offered.</summary>
    public IReadOnlyList<Infrastructure.Workflow.AllocationCandidate>? Candidates { get; init; }

    /// <summary>The panel's decision form as it was sent back, with its errors (Trusted Relationships cases).</summary>
    public PanelDecisionInput? PanelDecision { get; init; }

    /// <summary>The panel's strand-allocation form as it was sent back, with its errors.</summary>
    public StrandAllocationInput? StrandAllocation { get; init; }

    /// <summary>The My Wheel domains, when the case holder's forms after first contact belong on the page (see <see cref="PractitionerForms.AreFor"/>); null otherwise.</summary>
    public IReadOnlyList<string>? PractitionerFormDomains { get; init; }

    /// <summary>The session form as it was sent back.</summary>
    public SessionInput? Session { get; init; }

    /// <summary>The review form as it was sent back.</summary>
    public ReviewInput? Review { get; init; }

    /// <summary>The contact channel form as it was sent back.</summary>
    public ContactChannelInput? ContactChannel { get; init; }

    /// <summary>The closing form as it was sent back.</summary>
    public CloseInput? Close { get; init; }

    /// <summary>The panel's section of the page, rendered by <see cref="PanelPages"/>; none for anyone but the panel.</summary>
    public string? PanelSection { get; init; }
}
