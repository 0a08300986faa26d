using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>The people who act in the specifications; the system itself is <see cref="Actor.System"/>.</summary>
internal static class Cast
{
    public static readonly Actor Manager = new("manager-1", Role.Manager);
    public static readonly Actor Practitioner = new("p-1", Role.Practitioner);
    public static readonly Actor OtherPractitioner = new("p-2", Role.Practitioner);
    public static readonly Actor TheReferrer = new("referrer-1", Role.Referrer);
    public static readonly Actor Panel = new("panel-1", Role.Panel);
    public static readonly Actor YoungPerson = new("yp-1", Role.YoungPerson);
    public static readonly Actor Analyst = new("analyst-1", Role.Analyst);

    public static readonly Recipient PractitionerRecipient = new(Role.Practitioner, "p-1");
    public static readonly Recipient OtherPractitionerRecipient = new(Role.Practitioner, "p-2");

    public static Actor Playing(Role role) => role switch
    {
        Role.Manager => Manager,
        Role.Practitioner => Practitioner,
        Role.Referrer => TheReferrer,
        Role.Panel => Panel,
        Role.YoungPerson => YoungPerson,
        Role.Analyst => Analyst,
        Role.Admin => new Actor("admin-1", Role.Admin),
        Role.System => Actor.System,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}
