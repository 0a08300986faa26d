namespace HandInHand.Host.Tests.Support;

/// <summary>The Azurite instance started by scripts/test.sh.</summary>
internal static class TestStorage
{
    public const string Variable = "HANDINHAND_TEST_STORAGE";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable)
        ?? throw new InvalidOperationException($"{Variable} is not set. Run the tests with ./scripts/test.sh, which starts Azurite and sets it.");

    /// <summary>A table-name prefix of its own, so that each test host sees empty tables.</summary>
    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..10];
}
