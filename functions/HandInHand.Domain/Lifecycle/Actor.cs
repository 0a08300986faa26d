namespace HandInHand.Domain.Lifecycle;

/// <summary>The roles people (and the system itself) act in.</summary>
public enum Role
{
    Referrer,
    Manager,
    Practitioner,
    Panel,
    Analyst,
    Admin,
    YoungPerson,
    /// <summary>The workflow engine itself: timers and automatic allocation.</summary>
    System,
}

/// <summary>Who acts: a stable id (never a name or email) and the role they act in.</summary>
public sealed record Actor(string Id, Role Role)
{
    public static readonly Actor System = new("system", Role.System);
}
