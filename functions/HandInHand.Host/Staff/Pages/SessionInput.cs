using System.Globalization;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The session form as typed: the day it was held (day, month and year), how it was held, and a
/// short note. Kept as the raw text so that a form sent back with errors shows what was typed.
/// </summary>
internal sealed record SessionInput(string? Day, string? Month, string? Year, string? Kind, string? Note, string? CommandKey)
{
    public const string DateField = "heldOn";
    public const string DayField = "heldOn.day";
    public const string MonthField = "heldOn.month";
    public const string YearField = "heldOn.year";
    public const string KindField = "kind";
    public const string NoteField = "note";

    public static readonly IReadOnlyList<(string Value, string Label)> Kinds = [("face-to-face", "Face to face"), ("phone", "By phone"), ("online", "Online")];

    public static SessionInput From(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString().Trim() : null;
        return new(Value(DayField), Value(MonthField), Value(YearField), Value(KindField), Value(NoteField), Value(FirstContactInput.CommandKeyField));
    }

    /// <summary>An empty form, the day filled in with today: a session is usually recorded the day it is held.</summary>
    public static SessionInput Blank(DateOnly today, string commandKey) => new(
        today.Day.ToString(CultureInfo.InvariantCulture), today.Month.ToString(CultureInfo.InvariantCulture), today.Year.ToString(CultureInfo.InvariantCulture), null, null, commandKey);

    /// <summary>The day, kind and note, or the errors field by field. Whether the day fits the case (between first contact and today) is the decider's rule.</summary>
    public (DateOnly HeldOn, SessionKind Kind, string Note, IReadOnlyList<FieldError> Errors) Parse()
    {
        var errors = new List<FieldError>();
        DateOnly heldOn = default;
        if (string.IsNullOrEmpty(Day) && string.IsNullOrEmpty(Month) && string.IsNullOrEmpty(Year))
        {
            errors.Add(new(DateField, "Enter the date of the session."));
        }
        else if (Number(Day, 1, 31) is not { } d || Number(Month, 1, 12) is not { } m || Year is not { Length: 4 } || Number(Year, 2000, 9999) is not { } y
            || d > DateTime.DaysInMonth(y, m))
        {
            errors.Add(new(DateField, "Enter a real date as day, month and year, for example 27 3 2026."));
        }
        else
        {
            heldOn = new DateOnly(y, m, d);
        }

        SessionKind? kind = Kind switch { "face-to-face" => SessionKind.FaceToFace, "phone" => SessionKind.Phone, "online" => SessionKind.Online, _ => null };
        if (kind is null)
        {
            errors.Add(new(KindField, "Choose how the session was held."));
        }

        if (string.IsNullOrWhiteSpace(Note))
        {
            errors.Add(new(NoteField, "Enter a short note about the session."));
        }
        else if (Note.Length > ReferralDecider.SessionNoteMaxLength)
        {
            errors.Add(new(NoteField, $"The note can be at most {ReferralDecider.SessionNoteMaxLength} characters."));
        }

        return (heldOn, kind ?? SessionKind.FaceToFace, Note ?? string.Empty, errors);
    }

    private static int? Number(string? text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
}
