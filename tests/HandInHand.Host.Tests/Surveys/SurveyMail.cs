using System.Text.Json;
using System.Text.RegularExpressions;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Surveys;

/// <summary>Finds the survey and feedback links in the development mailbox, as a recipient would.</summary>
internal static partial class SurveyMail
{
    /// <summary>
    /// The paths (<c>/survey/…</c> or <c>/feedback/…</c>) in the emails about <paramref name="reference"/>,
    /// oldest first. An email to a young person names no referral, so the delivery records say which are its.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LinksAsync(HandInHandFactory factory, string reference, string kind)
    {
        var ids = (await factory.Services.GetRequiredService<EmailDelivery>().ListAsync()).Where(r => r.Reference == reference).Select(r => r.SentAs ?? r.MessageId).ToHashSet(StringComparer.Ordinal);
        var mailbox = new DevelopmentMailbox(factory.MailboxPath);
        var links = new List<string>();
        foreach (var email in mailbox.List().Where(e => ids.Contains(e.MessageId)).Reverse())
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

    public static async Task<string> SingleAsync(HandInHandFactory factory, string reference, string kind) => Assert.Single(await LinksAsync(factory, reference, kind));

    /// <summary>The answers with the page's antiforgery field, as a browser would post them.</summary>
    public static FormUrlEncodedContent Answers(string page, params (string Field, string Value)[] answers)
    {
        var hidden = Antiforgery().Match(page);
        Assert.True(hidden.Success, "the form carries its antiforgery field");
        return new FormUrlEncodedContent([new(hidden.Groups[1].Value, System.Net.WebUtility.HtmlDecode(hidden.Groups[2].Value)), .. answers.Select(a => new KeyValuePair<string, string>(a.Field, a.Value))]);
    }

    /// <summary>
    /// The answers of the <paramref name="eventType"/> event as stored: staff never see them, so they
    /// are read where the young person would, in the subject access export.
    /// </summary>
    public static async Task<JsonElement> StoredAnswersAsync(LifecycleDriver driver, string reference, string eventType)
    {
        var export = await driver.GetOkAsync<JsonElement>($"/api/referrals/{reference}/subject-access-export", StaffActor.Manager);
        return Assert.Single(export.GetProperty("history").EnumerateArray(), e => e.GetProperty("$type").GetString() == eventType).GetProperty("answers");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("/(survey|feedback)/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
