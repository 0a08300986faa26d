using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>The one referral every specification is about, and the outcome scores recorded for it.</summary>
internal static class TheReferral
{
    public const string Reference = "HH-2026-00042";
    public const string Region = "Selby";

    /// <summary>Fifteen at referral.</summary>
    public static readonly DateOnly DateOfBirth = new(2011, 5, 14);

    /// <summary>The 25th birthday, which is later than six years after any closure in these specifications.</summary>
    public static readonly DateTimeOffset RetentionDue = new(2036, 5, 14, 0, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyDictionary<string, int> NoWheel = new Dictionary<string, int>();

    /// <summary>A My Wheel with every default domain scored <paramref name="score"/>.</summary>
    public static IReadOnlyDictionary<string, int> Wheel(int score) =>
        LifecycleSettings.DefaultMyWheelDomains.ToDictionary(d => d, _ => score);

    /// <summary>A default My Wheel with one domain changed (or removed, for a null score).</summary>
    public static IReadOnlyDictionary<string, int> WheelWith(string domain, int? score)
    {
        var wheel = LifecycleSettings.DefaultMyWheelDomains.ToDictionary(d => d, _ => 5);
        if (score is { } s)
        {
            wheel[domain] = s;
        }
        else
        {
            wheel.Remove(domain);
        }

        return wheel;
    }

    public static IReadOnlyDictionary<string, TrafficLight> Lights() => new Dictionary<string, TrafficLight>
    {
        ["going-missing"] = TrafficLight.Amber,
        ["contact-with-older-adults-online"] = TrafficLight.Red,
    };
}
