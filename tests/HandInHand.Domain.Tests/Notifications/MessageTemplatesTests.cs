using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;

namespace HandInHand.Domain.Tests.Notifications;

public class MessageTemplatesTests
{
    private static readonly TemplateModel Model = new("HH-2026-00042", new Uri("https://handinhand.example.org/sign-in?next=%2Freferrals%2FHH-2026-00042"));

    public static TheoryData<NotificationKind> Kinds() => [.. Enum.GetValues<NotificationKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryNotificationHasATemplateWithTheReferenceAndTheLinkInTextAndHtml(NotificationKind kind)
    {
        var message = MessageTemplates.Render(kind, Model);

        Assert.False(string.IsNullOrWhiteSpace(message.Subject));
        Assert.DoesNotContain('\n', message.Subject);
        Assert.Contains("HH-2026-00042", message.PlainText, StringComparison.Ordinal);
        Assert.Contains(Model.Link.AbsoluteUri, message.PlainText, StringComparison.Ordinal);
        Assert.Contains("HH-2026-00042", message.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://handinhand.example.org/sign-in?next=%2Freferrals%2FHH-2026-00042\"", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", message.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(NotificationKind.SurveyInvitation)]
    [InlineData(NotificationKind.SurveyReminder)]
    public void MessagesToYoungPeopleComeFromANeutralSenderAndDoNotNameTheServicesPurpose(NotificationKind kind)
    {
        // The survey link's host is configured apart from the staff site's, so it can be neutral too.
        var message = MessageTemplates.Render(kind, Model with { Link = new Uri("https://feedback.example.org/s/Zk3") });

        Assert.True(message.ToYoungPerson);
        Assert.Null(message.SenderName);
        string[] revealing = ["exploit", "abuse", "grooming", "county lines", "sexual", "criminal", "missing", "Hand in Hand", "HandInHand", "referral", "risk", "safeguard", Model.Reference, "reference"];
        foreach (var word in revealing)
        {
            Assert.DoesNotContain(word, message.Subject + message.PlainText + message.Html + message.SenderName, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NoTemplateNamesAConcern(NotificationKind kind)
    {
        var message = MessageTemplates.Render(kind, Model);

        string[] concerns = ["exploit", "abuse", "grooming", "county lines", "sexual", "criminal", "missing"];
        foreach (var word in concerns)
        {
            Assert.DoesNotContain(word, message.Subject + message.PlainText + message.Html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void ALinkIsHtmlEncoded()
    {
        var message = MessageTemplates.Render(NotificationKind.ReferralAcknowledged, Model with { Link = new Uri("https://example.org/a?b=1&c=\"x\"") });

        Assert.Contains("href=\"https://example.org/a?b=1&amp;c=%22x%22\"", message.Html, StringComparison.Ordinal);
    }
}
