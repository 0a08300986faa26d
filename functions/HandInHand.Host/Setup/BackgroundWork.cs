namespace HandInHand.Host.Setup;

/// <summary>
/// Who runs the work that no request starts: the referral orchestrations (worker and task hub
/// client) and the daily digests.
/// </summary>
public enum BackgroundWork
{
    /// <summary>This process: the local host runs the Durable Task worker over Azure Storage and its own digest loop.</summary>
    InThisProcess,

    /// <summary>
    /// The Azure Functions host: it runs the orchestrations and the timers, and whoever builds the
    /// app registers the <see cref="Microsoft.DurableTask.Client.DurableTaskClient"/> the app sends commands with.
    /// </summary>
    ByTheFunctionsHost,
}
