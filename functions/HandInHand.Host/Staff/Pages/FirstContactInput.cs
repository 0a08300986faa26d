using System.Globalization;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The first-contact form as typed: whether the young person consents, and the date (day, month,
/// year) and time of the contact in the service's local time. Kept as the raw text so that a form
/// sent back with errors shows exactly what was typed.
/// </summary>
public sealed record FirstContactInput(string? Consent, string? Day, string? Month, string? Year, string? Time, string? CommandKey)
{
    public const string ConsentField = "consent";
    public const string DateField = "contactedAt";
    public const string DayField = "contactedAt.day";
    public const string MonthField = "contactedAt.month";
    public const string YearField = "contactedAt.year";
    public const string TimeField = "contactedAt.time";
    public const string CommandKeyField = "idempotencyKey";

    /// <summary>The form as posted.</summary>
    public static FirstContactInput From(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? Value(string name) => form.TryGetValue(name, out var v) ? v.ToString().Trim() : null;
        return new(Value(ConsentField), Value(DayField), Value(MonthField), Value(YearField), Value(TimeField), Value(CommandKeyField));
    }

    /// <summary>An empty form, the date and time filled in with <paramref name="localNow"/>: first contact is usually recorded as it happens.</summary>
    public static FirstContactInput Blank(DateTime localNow, string commandKey) => new(
        null,
        localNow.Day.ToString(CultureInfo.InvariantCulture),
        localNow.Month.ToString(CultureInfo.InvariantCulture),
        localNow.Year.ToString(CultureInfo.InvariantCulture),
        localNow.ToString("HH:mm", CultureInfo.InvariantCulture),
        commandKey);

    /// <summary>
    /// The consent and the moment of contact (UTC), or the errors field by field. Whether the moment
    /// fits the referral (after it arrived, not in the future) is the decider's rule, not checked here.
    /// </summary>
    public (bool Consent, DateTimeOffset ContactedAt, IReadOnlyList<FieldError> Errors) Parse(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var errors = new List<FieldError>();
        bool? consent = Consent switch { "yes" => true, "no" => false, _ => null };
        if (consent is null)
        {
            errors.Add(new(ConsentField, "Say whether the young person agreed to support."));
        }

        DateOnly? date = null;
        if (string.IsNullOrEmpty(Day) && string.IsNullOrEmpty(Month) && string.IsNullOrEmpty(Year))
        {
            errors.Add(new(DateField, "Enter the date of first contact."));
        }
        else if (Number(Day, 1, 31) is not { } d || Number(Month, 1, 12) is not { } m || Year is not { Length: 4 } || Number(Year, 2000, 9999) is not { } y
            || d > DateTime.DaysInMonth(y, m))
        {
            errors.Add(new(DateField, "Enter a real date as day, month and year, for example 27 3 2026."));
        }
        else
        {
            date = new DateOnly(y, m, d);
        }

        TimeOnly? time = null;
        if (string.IsNullOrEmpty(Time))
        {
            errors.Add(new(TimeField, "Enter the time of first contact, for example 14:30."));
        }
        else if (TimeOnly.TryParseExact(Time.Replace('.', ':'), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            time = t;
        }
        else
        {
            errors.Add(new(TimeField, "Enter the time in hours and minutes on the 24-hour clock, for example 14:30."));
        }

        if (date is null || time is null)
        {
            return (consent ?? false, default, errors);
        }

        var local = date.Value.ToDateTime(time.Value, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            errors.Add(new(TimeField, "That time did not happen on that day: the clocks went forward. Enter the time a clock showed after the change."));
            return (consent ?? false, default, errors);
        }

        var utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
        return (consent ?? false, new DateTimeOffset(utc, TimeSpan.Zero), errors);
    }

    private static int? Number(string? text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
}
