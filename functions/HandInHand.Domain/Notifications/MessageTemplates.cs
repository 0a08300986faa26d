using System.Net;
using System.Text;
using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Notifications;

/// <summary>A message ready for a channel: subject, plain text, HTML, and the sender name to show.</summary>
/// <param name="SenderName">The service's sender name; null for a message to a young person, which goes out under the young person's sender (a setting).</param>
/// <param name="ToYoungPerson">
/// True for a message to a young person. It names neither the service nor the referral, so the
/// email carrying it must not either: its sender is the young person's sender, and its message id
/// (which travels in headers and to the provider) is an opaque one, never the reference.
/// </param>
public sealed record RenderedMessage(string Subject, string PlainText, string Html, string? SenderName, bool ToYoungPerson = false);

/// <summary>What a template may use: the referral's reference and a link to sign in. Nothing else, by construction.</summary>
/// <param name="Reference">The referral's reference, e.g. HH-2026-00042.</param>
/// <param name="Link">Where the recipient signs in (or, for a survey, the survey link).</param>
public sealed record TemplateModel(string Reference, Uri Link);

/// <summary>
/// The wording of every notification of the lifecycle, in plain English, as plain text and HTML.
/// An email can be read by the person exploiting a young person, so a template says only that
/// there is something to look at, the reference, and where to sign in: never a name, a date of
/// birth, an address, a school or any detail of the concerns. The model it renders from holds
/// nothing else. Messages to young people name neither the service nor the referral: no
/// reference, no service name; their sender is a setting of its own.
/// </summary>
public static class MessageTemplates
{
    /// <summary>The sender name staff and referrers see.</summary>
    public const string ServiceSenderName = "HandInHand referrals";

    public static RenderedMessage Render(NotificationKind kind, TemplateModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (subject, lines, action) = Wording(kind, model.Reference);
        var toYoungPerson = IsForYoungPeople(kind);
        return new RenderedMessage(subject, PlainText(lines, action, model.Link), Html(subject, lines, action, model.Link), toYoungPerson ? null : ServiceSenderName, toYoungPerson);
    }

    /// <summary>True for the kinds written to a young person; no other kind is ever sent to one.</summary>
    public static bool IsForYoungPeople(NotificationKind kind) => kind is NotificationKind.SurveyInvitation or NotificationKind.SurveyReminder;

    private static (string Subject, string[] Lines, string Action) Wording(NotificationKind kind, string reference) => kind switch
    {
        NotificationKind.ReferralAcknowledged => ($"Referral {reference} received",
            [$"Thank you. We have received referral {reference}.", "We aim to make first contact within 24 hours. Please quote the reference if you contact us, and do not send personal details by email."],
            "Check the referral's status"),
        NotificationKind.ReferralAccepted => ($"Referral {reference}: update",
            [$"Referral {reference} has been accepted by the service."], "Sign in to see the details"),
        NotificationKind.ReferralDeclined => ($"Referral {reference}: update",
            [$"We are not able to take referral {reference}. The reason is recorded with the referral."], "Sign in to see why"),
        NotificationKind.InformationRequested => ($"Referral {reference}: information needed",
            [$"We need some more information about referral {reference} before we can decide on it."], "Sign in to answer"),
        NotificationKind.InformationReminder => ($"Referral {reference}: reminder",
            [$"We are still waiting for more information about referral {reference}. Without it we will have to close the referral."], "Sign in to answer"),
        NotificationKind.ClosedNoResponse => ($"Referral {reference}: closed",
            [$"Referral {reference} has been closed because we did not receive the information we asked for. You can refer again at any time."], "Sign in to see the details"),
        NotificationKind.AllocationNotice => ($"Referral {reference} allocated to you",
            [$"Referral {reference} has been allocated to you. First contact is due within 24 hours of the referral arriving."], "Sign in to open the case"),
        NotificationKind.FirstContactReminder => ($"Referral {reference}: first contact due soon",
            [$"First contact for referral {reference} has not been recorded and is due within a few hours."], "Sign in to record it"),
        NotificationKind.FirstContactEscalation => ($"Referral {reference}: first contact overdue",
            [$"First contact for referral {reference} was not recorded within the deadline."], "Sign in to review the case"),
        NotificationKind.TriageReminder => ($"Referral {reference}: waiting for triage",
            [$"Referral {reference} is waiting for a triage decision."], "Sign in to triage it"),
        NotificationKind.TriageEscalation => ($"Referral {reference}: triage overdue",
            [$"Referral {reference} has waited longer than the triage deadline."], "Sign in to triage it"),
        NotificationKind.WaitingListCheck => ($"Referral {reference}: is support still needed?",
            [$"Referral {reference} is on our waiting list. Please let us know whether support is still needed."], "Sign in to answer"),
        NotificationKind.ReviewReminder => ($"Referral {reference}: review due soon",
            [$"A review for referral {reference} is due in the next few days."], "Sign in to record it"),
        NotificationKind.ReviewOverdueEscalation => ($"Referral {reference}: review overdue",
            [$"The review for referral {reference} is overdue."], "Sign in to review the case"),
        NotificationKind.SurveyInvitation => ("We would like your views",
            ["You recently finished working with us. We would like to hear what you thought, so we can get better. It takes about five minutes and is anonymous to anyone else."],
            "Share your views"),
        NotificationKind.SurveyReminder => ("A reminder: we would like your views",
            ["There is still time to tell us what you thought. The link works for a few more weeks."],
            "Share your views"),
        NotificationKind.PartnerFeedbackRequest => ($"Referral {reference}: your feedback",
            [$"Our work on referral {reference} has ended. Would you tell us how working with us went? There are four short questions and the link works for four weeks."],
            "Give your feedback"),
        NotificationKind.RetentionReviewDue => ($"Referral {reference}: record due for review",
            [$"The retention period of referral {reference} has ended. The record needs your review before anything is erased."], "Sign in to review the record"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"No template for {kind}."),
    };

    private static string PlainText(string[] lines, string action, Uri link)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append("\r\n\r\n");
        }

        return text.Append(action).Append(": ").Append(link.AbsoluteUri).Append("\r\n").ToString();
    }

    private static string Html(string subject, string[] lines, string action, Uri link)
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(subject)).Append("</title></head><body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5\">");
        foreach (var line in lines)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }

        return html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(link.AbsoluteUri)).Append("\">").Append(WebUtility.HtmlEncode(action)).Append("</a></p></body></html>").ToString();
    }
}
