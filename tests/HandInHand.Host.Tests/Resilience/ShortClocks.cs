namespace HandInHand.Host.Tests.Resilience;

/// <summary>The host settings of the resilience runs: clocks short enough that timers fire during a run, and no throttling of the load.</summary>
internal static class ShortClocks
{
    /// <summary>The shared settings plus <paramref name="own"/> (storage, table prefix, where emails go).</summary>
    public static Dictionary<string, string> With(Dictionary<string, string> own)
    {
        var settings = new Dictionary<string, string>
        {
            ["Lifecycle__FirstContactDeadline"] = "PT6S",
            ["Lifecycle__FirstContactReminderBefore"] = "PT2S",
            ["Lifecycle__TriageReminderAfter"] = "PT1S",
            ["Lifecycle__ReviewEvery"] = "PT8S",
            ["Lifecycle__ReviewReminderBefore"] = "PT3S",
            ["Lifecycle__ReviewOverdueAfter"] = "PT2S",
            ["Lifecycle__SurveyReminderAfter"] = "PT3S",
            ["Lifecycle__SurveyExpiresAfter"] = "PT6S",
            ["Workflow__DispatcherInterval"] = "PT0.2S",
            // The load comes from one address: the public rate limits would throttle it to a trickle.
            ["RateLimits__PerClientPermits"] = "1000000",
            ["RateLimits__TotalPermits"] = "1000000",
            ["Workflow__CommitGrace"] = "PT2S",
            ["Workflow__Lease"] = "PT3S",
        };
        foreach (var (key, value) in own)
        {
            settings[key] = value;
        }

        return settings;
    }
}
