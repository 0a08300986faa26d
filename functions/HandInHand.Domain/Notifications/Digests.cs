using System.Globalization;
using System.Net;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;

namespace HandInHand.Domain.Notifications;

/// <summary>
/// What a digest may know about one referral: its reference, its step, who holds it, and its
/// times. Nothing else, by construction: a digest is composed from these and from nothing else.
/// </summary>
/// <param name="Reference">The referral's reference, e.g. HH-2026-00042.</param>
/// <param name="PractitionerId">Who holds the case (a staff id): chooses whose digest it is in, never printed.</param>
/// <param name="TriageDue">The triage deadline, set or missed and not yet met.</param>
/// <param name="FirstContactDue">The first-contact deadline, set or missed and not yet met.</param>
/// <param name="NextReviewDue">When the next review is due.</param>
/// <param name="ReviewOverdueAt">When the review becomes overdue (the escalation), set or missed and not yet met.</param>
public sealed record DigestCase(
    string Reference,
    Stage Stage,
    string? PractitionerId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? WaitingSince,
    DateTimeOffset? TriageDue,
    DateTimeOffset? FirstContactDue,
    DateTimeOffset? NextReviewDue,
    DateTimeOffset? ReviewOverdueAt)
{
    /// <summary>Takes from a referral's state only what a digest may show.</summary>
    public static DigestCase From(ReferralState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new DigestCase(
            state.Reference,
            state.Stage,
            state.PractitionerId,
            state.ReceivedAt,
            state.WaitingSince,
            Deadline(state, TimerKind.TriageDeadline),
            Deadline(state, TimerKind.FirstContactDeadline),
            state.NextReviewDue,
            Deadline(state, TimerKind.ReviewOverdue));
    }

    /// <summary>Takes from a referral's card on the case board what a digest may show.</summary>
    public static DigestCase From(CaseCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new DigestCase(
            card.Reference,
            card.Stage,
            card.PractitionerId,
            card.ReceivedAt,
            card.WaitingSince,
            card.Deadline(TimerKind.TriageDeadline),
            card.Deadline(TimerKind.FirstContactDeadline),
            card.NextReviewDue,
            card.Deadline(TimerKind.ReviewOverdue));
    }

    /// <summary>True while the case is open (as <see cref="ReferralState.IsOpen"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsOpen => Stage is not (Stage.None or Stage.Closed or Stage.Declined or Stage.Withdrawn);

    /// <summary>True while a practitioner holds the case.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHeld => Stage is Stage.Allocated or Stage.Active && PractitionerId is not null;

    private static DateTimeOffset? Deadline(ReferralState state, TimerKind kind) => CaseCard.Deadline(state.Timers, state.Missed, kind);
}

/// <summary>How digests are written: the local time zone for the times they show, and where to sign in.</summary>
/// <param name="TimeZone">The service's time zone: the digest's date and every time it shows are local to it.</param>
/// <param name="Link">Where staff sign in.</param>
public sealed record DigestSettings(TimeZoneInfo TimeZone, Uri Link)
{
    /// <summary>How far ahead a practitioner's digest lists reviews coming due (PRODUCT.md: 7 days).</summary>
    public TimeSpan ReviewLookahead { get; init; } = TimeSpan.FromDays(7);
}

/// <summary>
/// The daily digests: for a practitioner, what is due and overdue on the cases they hold; for the
/// manager, the triage queue, referrals awaiting allocation, missed first contacts, overdue
/// reviews and the waiting list. An email can be read by the person exploiting a young person, so
/// a digest gives references, counts and times only, and a link to sign in. It reads nothing but
/// <see cref="DigestCase"/>. With nothing to say there is no digest (null).
/// </summary>
/// <remarks>Pure: the time is given (<c>now</c>), nothing is read from a clock.</remarks>
public static class Digests
{
    /// <summary>Most references listed under one heading; the count is always the whole number.</summary>
    public const int MaxListed = 50;

    private const string TimeFormat = "ddd d MMM yyyy HH:mm";
    private const string DateFormat = "dddd d MMMM yyyy";

    /// <summary>The digest for <paramref name="recipient"/> (the manager, or a practitioner by id), or null when there is nothing to say.</summary>
    public static RenderedMessage? Compose(Recipient recipient, IEnumerable<ReferralState> states, DateTimeOffset now, DigestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(settings);

        // From here on the digest sees each referral only through what a DigestCase holds.
        return Compose(recipient, [.. states.Select(DigestCase.From).Where(c => c.IsOpen)], now, settings);
    }

    /// <summary>The digest for <paramref name="recipient"/> from what a digest may know of the open referrals (the case board's attention view), or null when there is nothing to say.</summary>
    public static RenderedMessage? ComposeFromCases(Recipient recipient, IEnumerable<DigestCase> cases, DateTimeOffset now, DigestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(settings);
        return Compose(recipient, [.. cases.Where(c => c.IsOpen)], now, settings);
    }

    private static RenderedMessage? Compose(Recipient recipient, List<DigestCase> open, DateTimeOffset now, DigestSettings settings)
    {
        var (intro, sections) = recipient switch
        {
            { Role: Role.Manager } => ("What needs the service's attention today.", ManagerSections(open, now)),
            { Role: Role.Practitioner, Id: { } id } => ("What is due and overdue on your cases.", PractitionerSections([.. open.Where(c => c.IsHeld && c.PractitionerId == id)], now, settings.ReviewLookahead)),
            _ => throw new ArgumentException("A digest goes to the manager or to a practitioner named by id.", nameof(recipient)),
        };
        sections = [.. sections.Where(s => s.Lines.Count > 0)];
        if (sections.Count == 0)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(now, settings.TimeZone);
        var day = local.ToString(DateFormat, CultureInfo.InvariantCulture);
        var total = sections.Sum(s => s.Lines.Count);
        var subject = string.Create(CultureInfo.InvariantCulture, $"Daily digest for {local.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}: {total} {(total == 1 ? "item" : "items")}");
        string[] preamble =
        [
            $"Daily digest for {day}. {intro}",
            $"References only: sign in to see the cases. Times are local ({settings.TimeZone.Id}), as at {local.ToString("HH:mm", CultureInfo.InvariantCulture)}.",
        ];
        var rendered = sections.Select(s => s.Render(settings.TimeZone)).ToList();
        return new RenderedMessage(subject, PlainText(preamble, rendered, settings.Link), Html(subject, preamble, rendered, settings.Link), MessageTemplates.ServiceSenderName);
    }

    private static List<Section> ManagerSections(List<DigestCase> open, DateTimeOffset now) =>
    [
        new("Triage queue", [.. open.Where(c => c.Stage is Stage.AwaitingTriage or Stage.AwaitingInformation).OrderBy(c => c.ReceivedAt).Select(c => TriageLine(c, now))]),
        new("Awaiting allocation", [.. open.Where(c => c.Stage == Stage.AwaitingAllocation).OrderBy(c => c.ReceivedAt).Select(c => new Line(c.Reference, "received", c.ReceivedAt))]),
        new("Missed first contacts", [.. MissedFirstContacts(open, now)]),
        new("Overdue reviews", [.. OverdueReviews(open, now)]),
        new("Waiting list", [.. open.Where(c => c.Stage == Stage.WaitingList).OrderBy(c => c.WaitingSince ?? c.ReceivedAt).Select(c => new Line(c.Reference, "waiting since", c.WaitingSince ?? c.ReceivedAt))]),
    ];

    private static List<Section> PractitionerSections(List<DigestCase> held, DateTimeOffset now, TimeSpan lookahead)
    {
        var days = Math.Max(1, (int)Math.Round(lookahead.TotalDays));
        return
        [
            new("First contacts to make", [.. held.Where(c => c.Stage == Stage.Allocated && !(c.FirstContactDue <= now)).OrderBy(c => c.FirstContactDue ?? c.ReceivedAt)
                .Select(c => c.FirstContactDue is { } due ? new Line(c.Reference, "first contact due by", due) : new Line(c.Reference, "first contact not yet recorded; received", c.ReceivedAt))]),
            new("Missed first contacts", [.. MissedFirstContacts(held, now)]),
            new(string.Create(CultureInfo.InvariantCulture, $"Reviews due in the next {days} {(days == 1 ? "day" : "days")}"),
                [.. held.Where(c => c.NextReviewDue <= now + lookahead && !(c.ReviewOverdueAt <= now)).OrderBy(c => c.NextReviewDue)
                    .Select(c => new Line(c.Reference, c.NextReviewDue <= now ? "review was due" : "review due", c.NextReviewDue!.Value))]),
            new("Overdue reviews", [.. OverdueReviews(held, now)]),
        ];
    }

    private static Line TriageLine(DigestCase c, DateTimeOffset now) => c switch
    {
        { Stage: Stage.AwaitingInformation } => new Line(c.Reference, "waiting for the referrer's information; received", c.ReceivedAt),
        { TriageDue: { } due } when due <= now => new Line(c.Reference, "triage overdue since", due),
        { TriageDue: { } due } => new Line(c.Reference, "triage due by", due),
        _ => new Line(c.Reference, "received", c.ReceivedAt),
    };

    private static IEnumerable<Line> MissedFirstContacts(IEnumerable<DigestCase> cases, DateTimeOffset now) =>
        cases.Where(c => c.FirstContactDue <= now).OrderBy(c => c.FirstContactDue).Select(c => new Line(c.Reference, "first contact was due", c.FirstContactDue!.Value));

    private static IEnumerable<Line> OverdueReviews(IEnumerable<DigestCase> cases, DateTimeOffset now) =>
        cases.Where(c => c.ReviewOverdueAt <= now).OrderBy(c => c.ReviewOverdueAt).Select(c => new Line(c.Reference, "review overdue since", c.ReviewOverdueAt!.Value));

    private static string PlainText(string[] preamble, List<RenderedSection> sections, Uri link)
    {
        var text = new StringBuilder();
        foreach (var line in preamble)
        {
            text.Append(line).Append("\r\n");
        }

        foreach (var section in sections)
        {
            text.Append("\r\n").Append(section.Heading).Append("\r\n");
            foreach (var item in section.Items)
            {
                text.Append("- ").Append(item).Append("\r\n");
            }
        }

        return text.Append("\r\nSign in to see the cases: ").Append(link.AbsoluteUri).Append("\r\n").ToString();
    }

    private static string Html(string subject, string[] preamble, List<RenderedSection> sections, Uri link)
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(subject)).Append("</title></head><body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5\">");
        foreach (var line in preamble)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }

        foreach (var section in sections)
        {
            html.Append("<h2 style=\"font-size:18px\">").Append(WebUtility.HtmlEncode(section.Heading)).Append("</h2><ul>");
            foreach (var item in section.Items)
            {
                html.Append("<li>").Append(WebUtility.HtmlEncode(item)).Append("</li>");
            }

            html.Append("</ul>");
        }

        return html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(link.AbsoluteUri)).Append("\">Sign in to see the cases</a></p></body></html>").ToString();
    }

    /// <summary>One reference and one time, with a few words saying what the time is.</summary>
    private sealed record Line(string Reference, string Words, DateTimeOffset At);

    private sealed record RenderedSection(string Heading, List<string> Items);

    private sealed record Section(string Title, List<Line> Lines)
    {
        public RenderedSection Render(TimeZoneInfo zone)
        {
            var items = Lines.Take(MaxListed)
                .Select(l => $"{l.Reference}: {l.Words} {TimeZoneInfo.ConvertTime(l.At, zone).ToString(TimeFormat, CultureInfo.InvariantCulture)}")
                .ToList();
            if (Lines.Count > MaxListed)
            {
                items.Add(string.Create(CultureInfo.InvariantCulture, $"and {Lines.Count - MaxListed} more: sign in to see them all"));
            }

            return new RenderedSection(string.Create(CultureInfo.InvariantCulture, $"{Title}: {Lines.Count}"), items);
        }
    }
}
