using System.Text.RegularExpressions;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Staff;

/// <summary>Emails land on the work: a staff reminder or escalation links to the case's page, the referrer's email to the status page.</summary>
public sealed partial class StaffEmailLinkTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    [Fact]
    public async Task StaffRemindersAndEscalationsLinkToTheCasePageAndTheReferrersEmailToTheStatusPage()
    {
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync(hh.Form());
        var channel = factory.Services.GetRequiredService<INotificationChannel>();
        var now = factory.Clock.GetUtcNow();
        (NotificationKind Kind, Role To)[] sent =
        [
            (NotificationKind.FirstContactReminder, Role.Practitioner),
            (NotificationKind.FirstContactEscalation, Role.Manager),
            (NotificationKind.ReviewOverdueEscalation, Role.Manager),
            (NotificationKind.ReferralAccepted, Role.Referrer),
        ];
        foreach (var (kind, to) in sent)
        {
            await channel.DeliverAsync(new DeliveredNotification($"{reference}|link|{kind}", reference, kind, to, LifecycleDriver.SelbyPractitioner, now));
        }

        var mailbox = new DevelopmentMailbox(factory.MailboxPath);
        foreach (var (kind, to) in sent)
        {
            var text = Decoded(mailbox.Read($"{reference}|link|{kind}")!);
            var links = Link().Matches(text).Select(m => m.Value).Distinct().ToList();
            var expected = to == Role.Referrer ? "http://localhost:7071/referrals/status" : $"http://localhost:7071/staff/cases/{reference}";
            Assert.Equal([expected], links);
        }
    }

    /// <summary>The message as its reader sees it: quoted-printable soft line breaks joined and '=' decoded.</summary>
    private static string Decoded(string eml) => eml.Replace("=\r\n", string.Empty, StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);

    [GeneratedRegex("https?://[^\\s\"<>]+")]
    private static partial Regex Link();
}
