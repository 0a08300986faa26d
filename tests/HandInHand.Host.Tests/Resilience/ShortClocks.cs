namespace HandInHand.Host.Tests.Resilience;

/// <summary>The host settings of the resilience runs: clocks short enough that timers fire during a run, and no throttling of the load.</summary>
internal static class ShortClocks
{
    /// <summary>
    /// The shared settings plus <paramref name="own"/> (storage, table prefix, where emails go, and
    /// the orchestration worker's id: distinct for hosts that run at once, the same across a
    /// restart of one host so that it takes its partitions back at once).
    /// </summary>
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
            // An idle control queue is polled at least this often: a timer fires at most this late (plus load).
            ["Orchestration__MaxQueuePollingInterval"] = "PT0.5S",
            // A killed host leaves the messages it had taken hidden this long (the default is 5
            // minutes): a restarted host must see them again well within a run's settling time.
            ["Orchestration__ControlQueueVisibilityTimeout"] = "PT20S",
            ["Orchestration__WorkItemQueueVisibilityTimeout"] = "PT20S",
            // A failed orchestration is started again within seconds, well within a run's settling time.
            ["Orchestration__RecoveryInterval"] = "PT5S",
            // A caller gives up waiting (202) before the load's own 10 s request timeout, and reads the status address.
            ["Orchestration__CommandWait"] = "PT5S",
            // The load comes from one address: the public rate limits would throttle it to a trickle.
            ["RateLimits__PerClientPermits"] = "1000000",
            ["RateLimits__TotalPermits"] = "1000000",
        };
        foreach (var (key, value) in own)
        {
            settings[key] = value;
        }

        return settings;
    }
}
