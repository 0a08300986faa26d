namespace HandInHand.Infrastructure.Notifications;

/// <summary>When the daily digests go out, and what they cover.</summary>
public sealed class DigestOptions
{
    public const string SectionName = "Digests";

    /// <summary>Whether the standalone host's loop sends the digests (a Functions timer trigger can call <c>POST /api/digests/run</c> instead).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The local time of day after which a day's digests are sent.</summary>
    public TimeOnly SendAt { get; set; } = new(7, 30);

    /// <summary>The service's time zone: what day it is, and the times a digest shows (an IANA or Windows id).</summary>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>How far ahead a practitioner's digest lists reviews coming due.</summary>
    public TimeSpan ReviewLookahead { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often (real time) the loop looks whether the day's digests are due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The configured time zone.</summary>
    /// <exception cref="TimeZoneNotFoundException">This machine does not know <see cref="TimeZone"/>.</exception>
    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
