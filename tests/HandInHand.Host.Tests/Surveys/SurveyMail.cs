using System.Text.RegularExpressions;
using HandInHand.Infrastructure.Mail;

namespace HandInHand.Host.Tests.Surveys;

/// <summary>Finds the survey and feedback links in the development mailbox, as a recipient would.</summary>
internal static partial class SurveyMail
{
    /// <summary>The paths (<c>/survey/…</c> or <c>/feedback/…</c>) in the emails about <paramref name="reference"/>, oldest first.</summary>
    public static IReadOnlyList<string> Links(string mailboxPath, string reference, string kind)
    {
        var mailbox = new DevelopmentMailbox(mailboxPath);
        var links = new List<string>();
        foreach (var email in mailbox.List().Where(e => e.MessageId.StartsWith(reference + "|", StringComparison.Ordinal)).Reverse())
        {
            // Undo quoted-printable soft line breaks and '=' escapes before looking for the link.
            var text = mailbox.Read(email.MessageId)!.Replace("=\r\n", string.Empty, StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            foreach (Match m in Link().Matches(text))
            {
                if (m.Groups[1].Value == kind && !links.Contains(m.Value))
                {
                    links.Add(m.Value);
                }
            }
        }

        return links;
    }

    public static string Single(string mailboxPath, string reference, string kind) => Assert.Single(Links(mailboxPath, reference, kind));

    [GeneratedRegex("/(survey|feedback)/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
