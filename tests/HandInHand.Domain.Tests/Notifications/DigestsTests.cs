using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;
using HandInHand.Domain.Referrals;
using System.Text.RegularExpressions;

namespace HandInHand.Domain.Tests.Notifications;

public partial class DigestsTests
{
    private const string Sam = "practitioner-sam";
    private const string Kim = "practitioner-kim";

    /// <summary>Monday 23 November 2026, 07:30 in London (winter: local time is UTC).</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 7, 30, 0, TimeSpan.Zero);

    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DigestSettings Settings = new(London, new Uri("https://handinhand.example.org/staff"));
    private static readonly Recipient SamsDigest = new(Role.Practitioner, Sam);

    private static int _next;

    private static string NextReference() => $"HH-2026-{Interlocked.Increment(ref _next):D5}";

    private static ReferralState Case(Stage stage, DateTimeOffset? receivedAt = null, string? practitioner = null) => new()
    {
        Reference = NextReference(),
        Stage = stage,
        ReceivedAt = receivedAt ?? Now.AddHours(-2),
        PractitionerId = practitioner,
        Region = "Selby",
        DateOfBirth = new DateOnly(2011, 5, 14),
    };

    private static ReferralState WithTimer(ReferralState s, TimerKind kind, DateTimeOffset due) => s with { Timers = s.Timers.SetItem(kind, due) };

    private static ReferralState WithMissed(ReferralState s, TimerKind kind, DateTimeOffset due) => s with { Missed = s.Missed.SetItem(kind, due) };

    /// <summary>A held case with first contact made and the next review due at <paramref name="reviewDue"/>, its timers set as the decider sets them.</summary>
    private static ReferralState Active(string practitioner, DateTimeOffset reviewDue)
    {
        var s = Case(Stage.Active, Now.AddDays(-60), practitioner) with { NextReviewDue = reviewDue, FirstContactAt = Now.AddDays(-59), Consent = true };
        return WithTimer(WithTimer(s, TimerKind.ReviewReminder, reviewDue.AddDays(-3)), TimerKind.ReviewOverdue, reviewDue.AddDays(7));
    }

    /// <summary>The digest's headings ("Triage queue: 3") with the references listed under each, read back from the plain text.</summary>
    private static Dictionary<string, List<string>> Sections(RenderedMessage message)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in message.PlainText.Split("\r\n"))
        {
            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                current!.Add(line[2..].Split(':')[0]);
            }
            else if (Heading().IsMatch(line))
            {
                current = [];
                sections[line] = current;
            }
        }

        return sections;
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9 ]*: \d+$")]
    private static partial Regex Heading();

    [Fact]
    public void WithNothingDueOrOverdueThereIsNoDigest()
    {
        var quiet = Active(Sam, Now.AddDays(30));

        Assert.Null(Digests.Compose(Recipient.Manager, [], Now, Settings));
        Assert.Null(Digests.Compose(SamsDigest, [], Now, Settings));
        Assert.Null(Digests.Compose(Recipient.Manager, [quiet], Now, Settings));
        Assert.Null(Digests.Compose(SamsDigest, [quiet], Now, Settings));
    }

    [Fact]
    public void ClosedDeclinedAndWithdrawnReferralsAreNeverInADigest()
    {
        ReferralState[] finished =
        [
            WithMissed(Case(Stage.Closed, practitioner: Sam), TimerKind.FirstContactDeadline, Now.AddDays(-1)),
            WithTimer(Case(Stage.Declined), TimerKind.TriageDeadline, Now.AddHours(1)),
            Case(Stage.Withdrawn) with { WaitingSince = Now.AddDays(-3) },
        ];

        Assert.Null(Digests.Compose(Recipient.Manager, finished, Now, Settings));
        Assert.Null(Digests.Compose(SamsDigest, finished, Now, Settings));
    }

    [Fact]
    public void TheManagersDigestCountsAndListsTheTriageQueueAllocationsMissedFirstContactsOverdueReviewsAndTheWaitingList()
    {
        var triageDue = WithTimer(Case(Stage.AwaitingTriage), TimerKind.TriageDeadline, Now.AddHours(20));
        var triageOverdue = WithMissed(Case(Stage.AwaitingTriage, Now.AddDays(-2)), TimerKind.TriageDeadline, Now.AddDays(-1));
        var waitingForInformation = Case(Stage.AwaitingInformation, Now.AddDays(-3));
        var unallocated = Case(Stage.AwaitingAllocation, Now.AddHours(-5));
        var waitingOlder = Case(Stage.WaitingList, Now.AddDays(-20)) with { WaitingSince = Now.AddDays(-19) };
        var waitingNewer = Case(Stage.WaitingList, Now.AddDays(-10)) with { WaitingSince = Now.AddDays(-9) };
        var missedContact = WithMissed(Case(Stage.Allocated, Now.AddDays(-2), Sam), TimerKind.FirstContactDeadline, Now.AddDays(-1));
        // Past its deadline but not yet fired by the dispatcher: missed all the same.
        var missedNotYetFired = WithTimer(Case(Stage.Allocated, Now.AddHours(-25), Kim), TimerKind.FirstContactDeadline, Now.AddHours(-1));
        var overdueReview = WithMissed(Active(Kim, Now.AddDays(-10)), TimerKind.ReviewOverdue, Now.AddDays(-3));
        var reviewSoon = Active(Sam, Now.AddDays(2));

        var digest = Digests.Compose(Recipient.Manager, [triageDue, triageOverdue, waitingForInformation, unallocated, waitingOlder, waitingNewer, missedContact, missedNotYetFired, overdueReview, reviewSoon], Now, Settings);

        Assert.NotNull(digest);
        var sections = Sections(digest);
        Assert.Equal(["Triage queue: 3", "Awaiting allocation: 1", "Missed first contacts: 2", "Overdue reviews: 1", "Waiting list: 2"], sections.Keys);
        Assert.Equal([waitingForInformation.Reference, triageOverdue.Reference, triageDue.Reference], sections["Triage queue: 3"]);
        Assert.Equal([unallocated.Reference], sections["Awaiting allocation: 1"]);
        Assert.Equal([missedContact.Reference, missedNotYetFired.Reference], sections["Missed first contacts: 2"]);
        Assert.Equal([overdueReview.Reference], sections["Overdue reviews: 1"]);
        Assert.Equal([waitingOlder.Reference, waitingNewer.Reference], sections["Waiting list: 2"]);
        Assert.Equal("Daily digest for Mon 23 Nov 2026: 9 items", digest.Subject);
        Assert.Contains($"{triageOverdue.Reference}: triage overdue since Sun 22 Nov 2026 07:30", digest.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{triageDue.Reference}: triage due by Tue 24 Nov 2026 03:30", digest.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{waitingOlder.Reference}: waiting since Wed 4 Nov 2026 07:30", digest.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain(reviewSoon.Reference, digest.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void APractitionersDigestListsFirstContactsReviewsDueWithinSevenDaysAndWhatIsOverdueOnTheirOwnCasesOnly()
    {
        var contactDue = WithTimer(Case(Stage.Allocated, Now.AddHours(-3), Sam), TimerKind.FirstContactDeadline, Now.AddHours(21));
        var contactMissed = WithMissed(Case(Stage.Allocated, Now.AddDays(-2), Sam), TimerKind.FirstContactDeadline, Now.AddDays(-1));
        var reviewInFiveDays = Active(Sam, Now.AddDays(5));
        var reviewPastDueNotYetOverdue = Active(Sam, Now.AddDays(-2));
        var reviewInTenDays = Active(Sam, Now.AddDays(10));
        var reviewOverdue = WithMissed(Active(Sam, Now.AddDays(-8)), TimerKind.ReviewOverdue, Now.AddDays(-1));
        var kims = WithMissed(Case(Stage.Allocated, Now.AddDays(-2), Kim), TimerKind.FirstContactDeadline, Now.AddDays(-1));
        var unallocated = WithMissed(Case(Stage.WaitingList, Now.AddDays(-2)), TimerKind.FirstContactDeadline, Now.AddDays(-1));

        var digest = Digests.Compose(SamsDigest, [contactDue, contactMissed, reviewInFiveDays, reviewPastDueNotYetOverdue, reviewInTenDays, reviewOverdue, kims, unallocated], Now, Settings);

        Assert.NotNull(digest);
        var sections = Sections(digest);
        Assert.Equal(["First contacts to make: 1", "Missed first contacts: 1", "Reviews due in the next 7 days: 2", "Overdue reviews: 1"], sections.Keys);
        Assert.Equal([contactDue.Reference], sections["First contacts to make: 1"]);
        Assert.Equal([contactMissed.Reference], sections["Missed first contacts: 1"]);
        Assert.Equal([reviewPastDueNotYetOverdue.Reference, reviewInFiveDays.Reference], sections["Reviews due in the next 7 days: 2"]);
        Assert.Equal([reviewOverdue.Reference], sections["Overdue reviews: 1"]);
        Assert.Contains($"{contactDue.Reference}: first contact due by Tue 24 Nov 2026 04:30", digest.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{reviewPastDueNotYetOverdue.Reference}: review was due Sat 21 Nov 2026 07:30", digest.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{reviewInFiveDays.Reference}: review due Sat 28 Nov 2026 07:30", digest.PlainText, StringComparison.Ordinal);
        foreach (var other in new[] { reviewInTenDays, kims, unallocated })
        {
            Assert.DoesNotContain(other.Reference, digest.PlainText + digest.Html, StringComparison.Ordinal);
        }

        Assert.Null(Digests.Compose(new Recipient(Role.Practitioner, "practitioner-nobody"), [contactDue, kims], Now, Settings));
    }

    [Fact]
    public void HowFarAheadReviewsAreListedIsASetting()
    {
        var reviewInTenDays = Active(Sam, Now.AddDays(10));

        var digest = Digests.Compose(SamsDigest, [reviewInTenDays], Now, Settings with { ReviewLookahead = TimeSpan.FromDays(14) });

        Assert.NotNull(digest);
        Assert.Equal([reviewInTenDays.Reference], Sections(digest)["Reviews due in the next 14 days: 1"]);
    }

    /// <summary>Everything a referral's state holds besides references, stages, staff ids and times, set to <paramref name="marker"/>-derived values.</summary>
    private static ReferralState WithEverythingElse(ReferralState s, string marker, bool alternative) => s with
    {
        Region = marker + " region",
        Pathway = alternative ? ServicePathway.TrustedRelationships : ServicePathway.HandInHand,
        RiskAtReferral = alternative ? RiskLevel.High : RiskLevel.Standard,
        CurrentRisk = alternative ? RiskLevel.High : RiskLevel.Medium,
        RiskAtAllocation = alternative ? RiskLevel.High : null,
        DateOfBirth = alternative ? new DateOnly(2011, 5, 14) : new DateOnly(2012, 3, 9),
        PossibleDuplicates = [marker + " duplicate"],
        Strand = alternative ? Strand.SubjectTo : null,
        Consent = alternative,
        ReviewCount = alternative ? 7 : 0,
        ClosureReason = marker + " reason",
        ReopenCount = alternative ? 3 : 0,
        StageBeforeClosure = alternative ? Stage.Active : Stage.None,
    };

    [Fact]
    public void ADigestShowsOnlyReferencesCountsAndTimesAndNothingElseAReferralHolds()
    {
        ReferralState[] states =
        [
            WithTimer(Case(Stage.AwaitingTriage), TimerKind.TriageDeadline, Now.AddHours(3)),
            Case(Stage.AwaitingAllocation),
            Case(Stage.WaitingList) with { WaitingSince = Now.AddDays(-1) },
            WithMissed(Case(Stage.Allocated, Now.AddDays(-2), Sam), TimerKind.FirstContactDeadline, Now.AddDays(-1)),
            WithTimer(Case(Stage.Allocated, Now.AddHours(-1), Sam), TimerKind.FirstContactDeadline, Now.AddHours(23)),
            Active(Sam, Now.AddDays(3)),
            WithMissed(Active(Sam, Now.AddDays(-9)), TimerKind.ReviewOverdue, Now.AddDays(-2)),
        ];
        var plain = states.Select(s => WithEverythingElse(s, "Plainvalue", alternative: false)).ToList();
        var marked = states.Select(s => WithEverythingElse(s, "Zqxmark", alternative: true)).ToList();

        foreach (var recipient in new[] { Recipient.Manager, SamsDigest })
        {
            var fromPlain = Digests.Compose(recipient, plain, Now, Settings);
            var fromMarked = Digests.Compose(recipient, marked, Now, Settings);

            Assert.NotNull(fromPlain);
            Assert.Equal(fromPlain, fromMarked);
            var everything = fromMarked!.Subject + fromMarked.PlainText + fromMarked.Html;
            foreach (var forbidden in new[] { "Zqxmark", "2011", "14 May", "May", "High", "Medium", "Standard", "SubjectTo", "Trusted", Sam })
            {
                Assert.DoesNotContain(forbidden, everything, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void ADigestCaseHoldsOnlyAReferenceAStageAStaffIdAndTimes()
    {
        string[] allowedNames = [nameof(DigestCase.Reference), nameof(DigestCase.PractitionerId)];
        Type[] allowedTypes = [typeof(Stage), typeof(DateTimeOffset), typeof(DateTimeOffset?), typeof(bool)];

        Assert.All(typeof(DigestCase).GetProperties(), p => Assert.True(allowedNames.Contains(p.Name) || allowedTypes.Contains(p.PropertyType), $"{p.Name} ({p.PropertyType.Name}) is not a reference, stage, staff id or time"));
    }

    [Fact]
    public void TimesAreShownInTheServicesLocalTime()
    {
        var summer = new DateTimeOffset(2026, 7, 1, 6, 30, 0, TimeSpan.Zero);
        var triage = WithTimer(Case(Stage.AwaitingTriage, summer.AddHours(-1)), TimerKind.TriageDeadline, new DateTimeOffset(2026, 7, 1, 23, 15, 0, TimeSpan.Zero));

        var digest = Digests.Compose(Recipient.Manager, [triage], summer, Settings);

        Assert.NotNull(digest);
        Assert.Contains($"{triage.Reference}: triage due by Thu 2 Jul 2026 00:15", digest.PlainText, StringComparison.Ordinal);
        Assert.Contains("Daily digest for Wednesday 1 July 2026", digest.PlainText, StringComparison.Ordinal);
        Assert.Contains("as at 07:30", digest.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHtmlIsEncodedAndLinksToSignIn()
    {
        var odd = Case(Stage.AwaitingAllocation) with { Reference = "HH-<b>&\"1" };

        var digest = Digests.Compose(Recipient.Manager, [odd], Now, Settings);

        Assert.NotNull(digest);
        Assert.Contains("HH-&lt;b&gt;&amp;&quot;1", digest.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", digest.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://handinhand.example.org/staff\"", digest.Html, StringComparison.Ordinal);
        Assert.Contains("https://handinhand.example.org/staff", digest.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', digest.Subject);
        Assert.Equal(MessageTemplates.ServiceSenderName, digest.SenderName);
    }

    [Fact]
    public void ALongListGivesTheWholeCountAndTheFirstFiftyReferences()
    {
        var waiting = Enumerable.Range(0, 60).Select(i => Case(Stage.WaitingList) with { WaitingSince = Now.AddHours(-100 + i) }).ToList();

        var digest = Digests.Compose(Recipient.Manager, waiting, Now, Settings);

        Assert.NotNull(digest);
        Assert.Contains("Waiting list: 60", digest.PlainText, StringComparison.Ordinal);
        Assert.Contains("and 10 more: sign in to see them all", digest.PlainText, StringComparison.Ordinal);
        Assert.Contains(waiting[49].Reference, digest.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain(waiting[50].Reference, digest.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void ADigestGoesOnlyToTheManagerOrAPractitionerNamedById()
    {
        Assert.Throws<ArgumentException>(() => Digests.Compose(Recipient.Referrer, [], Now, Settings));
        Assert.Throws<ArgumentException>(() => Digests.Compose(new Recipient(Role.Practitioner), [], Now, Settings));
    }
}
