namespace HandInHand.Infrastructure.Audit;

/// <summary>The audit trail's table (before the configured prefix).</summary>
public static class AuditTables
{
    public const string Audit = "Audit";
}
