using HandInHand.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Email;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Notifications;

/// <summary>
/// The daily digests as the app sends them: referrals driven through their lifecycle in real time
/// (their clocks are the orchestrations' durable timers), the job run as the Functions timer
/// trigger runs it at the time of the host's own clock, the digests read back from the development
/// mailbox. Each test hosts the app on tables of its own, because a digest covers every open referral.
/// </summary>
public sealed partial class DigestTests
{
    private const string Marker = "Zqxmark";
    private const string Hambleton = "Hambleton and Richmondshire";
    private const string ManagerAddress = "manager@handinhand.invalid";
    private const string SelbyAddress = "selby@handinhand.invalid";
    private const string YorkAddress = "york@handinhand.invalid";

    private static readonly StaffActor York = StaffActor.Practitioner("practitioner-york");

    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>A digest as it arrived: its message id, recipient, and text/plain body decoded.</summary>
    private sealed record Digest(string MessageId, string To, string Subject, string Text, string Whole)
    {
        /// <summary>The headings ("Triage queue: 1") with the references listed under each.</summary>
        public Dictionary<string, List<string>> Sections()
        {
            var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            List<string>? current = null;
            foreach (var line in Text.Split("\r\n"))
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
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9 ]*: \d+$")]
    private static partial Regex Heading();

    /// <summary>A referral form whose young person's first name carries the marker.</summary>
    private static JsonObject Marked(JsonObject form) =>
        form.With("youngPerson.firstName", JsonValue.Create(Marker + form["youngPerson"]!["firstName"]!.GetValue<string>().ToLowerInvariant()));

    private static async Task<DigestRunReport> RunAsync(LifecycleDriver hh, string role = "admin")
    {
        var response = await SendRunAsync(hh, role);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /api/digests/run: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<DigestRunReport>())!;
    }

    private static Task<HttpResponseMessage> SendRunAsync(LifecycleDriver hh, string? role)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/digests/run");
        if (role is not null)
        {
            request.Headers.Add(ActorHeaders.IdHeader, role + "-1");
            request.Headers.Add(ActorHeaders.RoleHeader, role);
        }

        return hh.Client.SendAsync(request);
    }

    /// <summary>Today's row of the manager's digest as a run left it: handed over once, now at <paramref name="status"/>.</summary>
    private static async Task RecordManagersDigestAsync(GuardedTableClient table, LifecycleDriver hh, DigestStatus status) =>
        await table.AddEntityAsync(new TableEntity(Date(hh.Now), DigestJob.ManagerId)
        {
            ["Status"] = status.ToString(),
            ["Attempts"] = 1,
            ["UpdatedAt"] = hh.Now,
        });

    /// <summary>The digests in the development mailbox.</summary>
    private static List<Digest> Digests(string mailboxPath)
    {
        var mailbox = new DevelopmentMailbox(mailboxPath);
        return
        [
            .. mailbox.List().Where(e => e.MessageId.StartsWith("digest|", StringComparison.Ordinal)).Select(e =>
            {
                var eml = mailbox.Read(e.MessageId)!;
                return new Digest(e.MessageId, e.To, e.Subject, PlainPart(eml), DecodeQuotedPrintable(eml));
            }),
        ];
    }

    private static string PlainPart(string eml)
    {
        const string start = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
        var from = eml.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var to = eml.IndexOf("\r\n--=_hih_alternative_1", from, StringComparison.Ordinal);
        return DecodeQuotedPrintable(eml[from..to]);
    }

    /// <summary>Quoted-printable (RFC 2045 §6.7) back to text: soft breaks removed, =XX to bytes, read as UTF-8.</summary>
    private static string DecodeQuotedPrintable(string text)
    {
        var bytes = new List<byte>(text.Length);
        var joined = text.Replace("=\r\n", string.Empty, StringComparison.Ordinal);
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(byte.Parse(joined.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(joined[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static string Date(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, London).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A host whose clock reads 10:00 local tomorrow: the digests' day is the host clock's, and a
    /// test that moves it on by some hours must stay within one day whatever the hour it runs at.
    /// Nothing in these tests waits for a lifecycle timer, so the host's clock may run ahead.
    /// </summary>
    private static HandInHandFactory AtTenTomorrow(HandInHandFactory? factory = null)
    {
        factory ??= new HandInHandFactory();
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, London).DateTime).AddDays(1).ToDateTime(new TimeOnly(10, 0));
        factory.Clock.SetUtcNow(new DateTimeOffset(tomorrow, London.GetUtcOffset(tomorrow)));
        return factory;
    }

    /// <summary>The first-contact deadline or review escalation of <paramref name="kind"/>, set or missed, as the digest reads it.</summary>
    private static async Task<DateTimeOffset> DueAsync(LifecycleDriver hh, string reference, TimerKind kind)
    {
        var state = (await hh.Service<ReferralWorkflowStore>().LoadAsync(reference))!.State;
        Assert.True(state.Timers.TryGetValue(kind, out var due) || state.Missed.TryGetValue(kind, out due), $"{reference} has no {kind}");
        return due;
    }

    [Fact]
    public async Task TheManagerAndEachPractitionerWithCasesGetADigestOfWhatIsDueAndOverdueWithReferencesAndCountsOnly()
    {
        await using var factory = new ShortClockFactory();
        var hh = new LifecycleDriver(factory);
        await hh.PutPractitionerAsync("practitioner-hambleton-richmondshire", Hambleton, capacity: 0);

        // York's active case, whose review (due from its allocation) is the first to become
        // overdue; the digest runs at that moment. Selby's active case, allocated just after it:
        // its review falls due within the look-ahead but is not overdue yet.
        var selbyMissedContact = await hh.SubmitAsync(Marked(hh.Form()));
        var yorkOverdueReview = await hh.SubmitAsync(Marked(hh.Form(region: "City of York")));
        await hh.ActivateAsync(yorkOverdueReview, York);
        var selbyReviewDue = await hh.SubmitAsync(Marked(hh.Form()));
        await hh.ActivateAsync(selbyReviewDue);
        var at = await DueAsync(hh, yorkOverdueReview, TimerKind.ReviewOverdue);
        var yorkAllocatedAt = (await hh.ViewAsync(yorkOverdueReview)).NextReviewDue!.Value - ShortClockFactory.ReviewEvery;

        // Received first but allocated only once its review would fall beyond the look-ahead: its
        // first contact (due from arrival) is missed by the digest's time, its review is not near.
        await LifecycleDriver.PastAsync(yorkAllocatedAt + ShortClockFactory.ReviewOverdueAfter + ShortClockFactory.ReviewLookahead + TimeSpan.FromSeconds(2));
        await hh.AcceptAsync(selbyMissedContact);

        // A new allocation, a referral waiting for triage, one on the waiting list, and a Trusted
        // Relationships referral waiting for the panel to allocate it: all first contacts due
        // after the digest's time, and all made before it.
        var selbyContactDue = await hh.SubmitAsync(Marked(hh.Form()));
        await hh.AcceptAsync(selbyContactDue);
        var triage = await hh.SubmitAsync(Marked(hh.Form()));
        var waiting = await hh.SubmitAsync(Marked(hh.Form(region: Hambleton)));
        await hh.AcceptAsync(waiting);
        var unallocated = await hh.SubmitAsync(Marked(Submissions.Valid(firstName: "Robin").AsTrustedRelationships()));
        await hh.CommandAsync(unallocated, "accept", new StaffActor("panel-1", "panel"));
        Assert.Equal("WaitingList", (await hh.ViewAsync(waiting)).Stage);
        Assert.Equal("AwaitingAllocation", (await hh.ViewAsync(unallocated)).Stage);

        // The moments the digest's sections rest on, as they fell on this machine.
        var selbyReviewAt = (await hh.ViewAsync(selbyReviewDue)).NextReviewDue!.Value;
        Assert.True(selbyReviewAt <= at + ShortClockFactory.ReviewLookahead, $"Selby's case was allocated too long after York's ({selbyReviewAt:O}, digest at {at:O}) for its review to fall within the look-ahead");
        Assert.True(await DueAsync(hh, selbyReviewDue, TimerKind.ReviewOverdue) > at, "Selby's review is overdue as early as York's");
        Assert.True(await DueAsync(hh, selbyMissedContact, TimerKind.FirstContactDeadline) <= at, "the uncontacted case's first contact is not yet missed");
        Assert.True((await hh.ViewAsync(selbyMissedContact)).NextReviewDue > at + ShortClockFactory.ReviewLookahead, "the uncontacted case's review falls within the look-ahead");
        Assert.True(await DueAsync(hh, selbyContactDue, TimerKind.FirstContactDeadline) > at, "the new allocation's first contact is due as early as the missed one's");
        Assert.True(hh.Now <= at, $"the referrals took until {hh.Now:O} to make, past the digest's time {at:O}");
        await LifecycleDriver.PastAsync(at);
        factory.Clock.SetUtcNow(at);

        var report = await RunAsync(hh);

        Assert.Equal(3, report.Sent);
        Assert.Equal(0, report.NoAddress + report.Deferred + report.Failed + report.Unknown + report.InProgress);
        var digests = Digests(factory.MailboxPath);
        Assert.Equal([ManagerAddress, SelbyAddress, YorkAddress], digests.Select(d => d.To).Order(StringComparer.Ordinal));
        var today = Date(hh.Now);

        var manager = Assert.Single(digests, d => d.To == ManagerAddress);
        Assert.Equal($"digest|manager|{today}", manager.MessageId);
        Assert.Equal($"Daily digest for {TimeZoneInfo.ConvertTime(at, London).ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}: 5 items", manager.Subject);
        var sections = manager.Sections();
        Assert.Equal(["Triage queue: 1", "Awaiting allocation: 1", "Missed first contacts: 1", "Overdue reviews: 1", "Waiting list: 1"], sections.Keys);
        Assert.Equal([triage], sections["Triage queue: 1"]);
        Assert.Equal([unallocated], sections["Awaiting allocation: 1"]);
        Assert.Equal([selbyMissedContact], sections["Missed first contacts: 1"]);
        Assert.Equal([yorkOverdueReview], sections["Overdue reviews: 1"]);
        Assert.Equal([waiting], sections["Waiting list: 1"]);

        var selby = Assert.Single(digests, d => d.To == SelbyAddress);
        Assert.Equal($"digest|{LifecycleDriver.SelbyPractitioner}|{today}", selby.MessageId);
        sections = selby.Sections();
        // A look-ahead of seconds reads as the shortest the heading says: one day.
        Assert.Equal(["First contacts to make: 1", "Missed first contacts: 1", "Reviews due in the next 1 day: 1"], sections.Keys);
        Assert.Equal([selbyContactDue], sections["First contacts to make: 1"]);
        Assert.Equal([selbyMissedContact], sections["Missed first contacts: 1"]);
        Assert.Equal([selbyReviewDue], sections["Reviews due in the next 1 day: 1"]);
        Assert.Contains($"{selbyReviewDue}: review {(selbyReviewAt <= at ? "was due" : "due")} {TimeZoneInfo.ConvertTime(selbyReviewAt, London).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture)}", selby.Text, StringComparison.Ordinal);

        var york = Assert.Single(digests, d => d.To == YorkAddress);
        Assert.Equal(["Overdue reviews: 1"], york.Sections().Keys);
        Assert.Equal([yorkOverdueReview], york.Sections()["Overdue reviews: 1"]);

        foreach (var digest in digests)
        {
            var withoutRecipient = string.Join("\n", digest.Whole.Split('\n').Where(l => !l.StartsWith("To:", StringComparison.OrdinalIgnoreCase)));
            Assert.DoesNotContain(Marker, withoutRecipient, StringComparison.OrdinalIgnoreCase);
            foreach (var word in new[] { "Selby", "York", "Hambleton", "High", "Example Academy", "social worker", "Sam Worker", "07700" })
            {
                Assert.DoesNotContain(word, digest.Text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task ASecondRunOnTheSameDaySendsNothingAndTheNextDaySendsAgain()
    {
        await using var factory = AtTenTomorrow();
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync(Marked(hh.Form()));

        var firstDay = Date(hh.Now);
        var first = await RunAsync(hh);
        Assert.Equal(1, first.Sent);
        var digest = Assert.Single(Digests(factory.MailboxPath));
        Assert.Equal($"digest|manager|{Date(hh.Now)}", digest.MessageId);
        Assert.Equal([reference], digest.Sections()["Triage queue: 1"]);

        // The day's mark that it is finished rides on the write that recorded the manager's digest as
        // sent: no write of its own.
        var table = factory.Services.GetRequiredService<TableProvider>().Get(DigestJob.TableName);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {firstDay}")))
        {
            rows.Add(row);
        }

        var managers = Assert.Single(rows);
        Assert.Equal((DigestJob.ManagerId, nameof(DigestStatus.Sent), true), (managers.RowKey, managers.GetString("Status"), managers.GetBoolean(DigestJob.DayFinished)));

        // Selby is given a case after the day's digests went: the day is finished, so the later runs
        // that day stop at its rows without reading the board, and Selby's first digest comes tomorrow.
        var allocated = await hh.SubmitAsync(Marked(hh.Form()));
        Assert.Equal("Allocated", (await hh.AcceptAsync(allocated)).Stage);

        // Empty the mailbox: whatever a second run wrote would show.
        Directory.Delete(factory.MailboxPath, recursive: true);
        factory.Clock.Advance(TimeSpan.FromHours(6));
        var second = await RunAsync(hh);
        Assert.Equal(0, second.Sent);
        Assert.Equal(1, second.AlreadyDone);
        Assert.Empty(Digests(factory.MailboxPath));

        factory.Clock.Advance(TimeSpan.FromHours(18));
        var nextDay = await RunAsync(hh);
        Assert.Equal(2, nextDay.Sent);
        var digests = Digests(factory.MailboxPath);
        digest = Assert.Single(digests, d => d.To == ManagerAddress);
        Assert.Equal($"digest|manager|{Date(hh.Now)}", digest.MessageId);
        Assert.Equal(DateOnly.Parse(firstDay, CultureInfo.InvariantCulture).AddDays(1), DateOnly.Parse(Date(hh.Now), CultureInfo.InvariantCulture));
        Assert.Equal([reference, allocated], digest.Sections()["Missed first contacts: 2"]);
        Assert.Single(digests, d => d.To == SelbyAddress);
    }

    [Fact]
    public async Task WithNothingToSayNoDigestIsSent()
    {
        await using var factory = new HandInHandFactory();
        var hh = new LifecycleDriver(factory);

        var empty = await RunAsync(hh);
        Assert.Equal(0, empty.Sent);
        Assert.Equal(1, empty.NothingToSay);

        // Next day: a case with first contact made and its review six weeks away is nothing to say, to
        // anyone. The run does not even read it (an active case is read only when it needs attention
        // within the look-ahead), so its practitioner is not among the day's recipients.
        var reference = await hh.SubmitAsync(hh.Form());
        await hh.ActivateAsync(reference);
        factory.Clock.Advance(TimeSpan.FromDays(1));
        var quiet = await RunAsync(hh);

        Assert.Equal(0, quiet.Sent);
        Assert.Equal(1, quiet.NothingToSay);
        Assert.Empty(Digests(factory.MailboxPath));
    }

    [Fact]
    public async Task ADigestWhoseSendingWasInterruptedIsNeverSentAgain()
    {
        await using var factory = AtTenTomorrow();
        var hh = new LifecycleDriver(factory);
        await hh.SubmitAsync(hh.Form());
        var table = factory.Services.GetRequiredService<TableProvider>().Get(DigestJob.TableName);

        // A run handed today's digest over and stopped before recording the outcome.
        await RecordManagersDigestAsync(table, hh, DigestStatus.Sending);

        var whileItMayStillBeSending = await RunAsync(hh);
        Assert.Equal(1, whileItMayStillBeSending.InProgress);
        factory.Clock.Advance(EmailDelivery.SendingGrace + TimeSpan.FromMinutes(1));
        var afterTheGrace = await RunAsync(hh);
        Assert.Equal(1, afterTheGrace.Unknown);
        var again = await RunAsync(hh);
        Assert.Equal(1, again.AlreadyDone);

        Assert.Empty(Digests(factory.MailboxPath));
        var row = await table.GetEntityIfExistsAsync(Date(hh.Now), DigestJob.ManagerId);
        Assert.Equal(nameof(DigestStatus.Unknown), row!.GetString("Status"));
    }

    [Fact]
    public async Task ARunThatFindsEveryDigestOfTheDaySettledMarksTheDayFinishedSoThatTheNextStopsAtItsRows()
    {
        await using var factory = AtTenTomorrow();
        var hh = new LifecycleDriver(factory);
        await hh.SubmitAsync(hh.Form());
        var table = factory.Services.GetRequiredService<TableProvider>().Get(DigestJob.TableName);

        // The manager's digest went today, and the run that sent it stopped before marking the day finished.
        await RecordManagersDigestAsync(table, hh, DigestStatus.Sent);
        var found = await RunAsync(hh);
        Assert.Equal((0, 1), (found.Sent, found.AlreadyDone));
        Assert.NotNull(await table.GetEntityIfExistsAsync(Date(hh.Now), DigestJob.FinishedRow));

        // Selby is given a case now: a later run stops at the day's rows, so Selby's first digest comes tomorrow.
        var allocated = await hh.SubmitAsync(hh.Form());
        Assert.Equal("Allocated", (await hh.AcceptAsync(allocated)).Stage);
        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        var later = await RunAsync(hh);
        Assert.Equal((0, 1), (later.Sent, later.AlreadyDone));
        Assert.Empty(Digests(factory.MailboxPath));
    }

    [Fact]
    public async Task ADigestTheProviderCouldNotTakeIsSentOnceByTheNextRunAndItsRowSaysSendingWheneverItIsHandedOver()
    {
        await using var factory = new ThrottledOnceFactory();
        AtTenTomorrow(factory);
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync(hh.Form());
        var table = factory.Services.GetRequiredService<TableProvider>().Get(DigestJob.TableName);

        // The provider throttles the first digest: certainly not sent, so the row goes back to Pending
        // and the day is not finished.
        var throttled = await RunAsync(hh);
        Assert.Equal((0, 1), (throttled.Sent, throttled.Deferred));
        Assert.Empty(Digests(factory.MailboxPath));
        var row = await table.GetEntityIfExistsAsync(Date(hh.Now), DigestJob.ManagerId);
        Assert.Equal((nameof(DigestStatus.Pending), 1), (row!.GetString("Status"), row.GetInt32("Attempts")));

        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        var next = await RunAsync(hh);
        Assert.Equal((1, 0), (next.Sent, next.Deferred));
        var digest = Assert.Single(Digests(factory.MailboxPath));
        Assert.Equal([reference], digest.Sections()["Triage queue: 1"]);
        row = await table.GetEntityIfExistsAsync(Date(hh.Now), DigestJob.ManagerId);
        Assert.Equal((nameof(DigestStatus.Sent), 2), (row!.GetString("Status"), row.GetInt32("Attempts")));

        // Both times the digest was handed over, its row already said Sending: a crash at that moment
        // leaves a digest that is never sent twice.
        Assert.Equal([nameof(DigestStatus.Sending), nameof(DigestStatus.Sending)], factory.Sender.StatusWhenHandedOver);
        Assert.Equal(1, (await RunAsync(hh)).AlreadyDone);
        Assert.Single(Digests(factory.MailboxPath));
    }

    [Fact]
    public async Task APractitionerWithoutAnAddressIsSkipped()
    {
        await using var factory = new HandInHandFactory();
        await using var withoutYorksAddress = factory.Sibling(b => b.UseSetting("Notifications:StaffEmails:practitioner-york", string.Empty));
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync(hh.Form(region: "City of York"));
        await hh.AcceptAsync(reference);

        var response = await withoutYorksAddress.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/digests/run")
        {
            Headers = { { ActorHeaders.IdHeader, "admin-1" }, { ActorHeaders.RoleHeader, "admin" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<DigestRunReport>())!;
        Assert.Equal(1, report.NoAddress);
        Assert.DoesNotContain(Digests(factory.MailboxPath), d => d.To == YorkAddress);
    }

    [Fact]
    public async Task OnlyAnAdministratorRunsTheDigests()
    {
        await using var factory = new HandInHandFactory();
        var hh = new LifecycleDriver(factory);
        await hh.SubmitAsync(hh.Form());

        await LifecycleDriver.ProblemAsync(await SendRunAsync(hh, "manager"), HttpStatusCode.Forbidden);
        await LifecycleDriver.ProblemAsync(await SendRunAsync(hh, "practitioner"), HttpStatusCode.Forbidden);
        var anonymous = await SendRunAsync(hh, role: null);
        Assert.True(anonymous.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"anonymous: {(int)anonymous.StatusCode}");

        Assert.Empty(Digests(factory.MailboxPath));
    }

    [Fact]
    public async Task TheLoopSendsTheDaysDigestsOnceTheLocalTimeHasPassedSendAt()
    {
        // One host, the looping one: two hosts on one task hub would share its orchestrations.
        await using var factory = AtTenTomorrow(new LoopingFactory());
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync(hh.Form());

        // The referral is on the case board (its first step's effects are done) before the loop may
        // run: a run before that would find nothing to say and settle the day with no digest.
        var board = factory.Services.GetRequiredService<CaseBoard>();
        await LifecycleDriver.EventuallyAsync(
            async () =>
            {
                await foreach (var listed in board.NeedingAttentionBeforeAsync(DateTimeOffset.MaxValue))
                {
                    if (listed.Reference == reference)
                    {
                        return true;
                    }
                }

                return false;
            },
            $"{reference} on the case board", TimeSpan.FromSeconds(60));

        // 10:00 local: the loop looks and finds it too early.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(Digests(factory.MailboxPath));

        factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Digests(factory.MailboxPath).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var digest = Assert.Single(Digests(factory.MailboxPath));
        Assert.Equal($"digest|manager|{Date(hh.Now)}", digest.MessageId);
        // The email reaches the mailbox before its record is marked sent: wait for the record.
        var table = factory.Services.GetRequiredService<TableProvider>().Get(DigestJob.TableName);
        string? status = null;
        while (DateTime.UtcNow < deadline.AddSeconds(10))
        {
            status = (await table.GetEntityIfExistsAsync(Date(hh.Now), DigestJob.ManagerId))?.GetString("Status");
            if (status == nameof(DigestStatus.Sent))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(nameof(DigestStatus.Sent), status);
    }

    [Fact]
    public async Task EveryPropertyOfTheDigestsTableIsDescribedInThePrivacyDocument()
    {
        await using var factory = new HandInHandFactory();
        var hh = new LifecycleDriver(factory);
        await hh.SubmitAsync(hh.Form());
        await RunAsync(hh);
        var table = factory.Services.GetRequiredService<TableProvider>().Get(DigestJob.TableName);
        await table.AddEntityAsync(new TableEntity("2026-01-01", "practitioner-failed") { ["Status"] = nameof(DigestStatus.Failed), ["Attempts"] = 1, ["Error"] = "400: example", ["UpdatedAt"] = hh.Now });
        var document = await File.ReadAllTextAsync(RepositoryFiles.PathOf("docs", "privacy.md"));

        var stored = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync())
        {
            foreach (var (property, _) in row)
            {
                if (property is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                {
                    stored.Add($"{DigestJob.TableName}.{property}");
                }
            }
        }

        Assert.Contains("Digests.Status", stored);
        var missing = stored.Where(p => !document.Contains($"`{p}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/privacy.md does not describe: " + string.Join(", ", missing));
    }

    /// <summary>
    /// The app with first contacts and reviews due seconds apart, and a digest look-ahead to
    /// match: long enough that the referrals made after the wait are all made, on a loaded
    /// machine, before York's review becomes overdue.
    /// </summary>
    private sealed class ShortClockFactory : HandInHandFactory
    {
        // Long enough that a loaded machine can make the scenario's referrals between the moments
        // it rests on (each check below says which moment slipped if it cannot). A whole run on
        // 2026-12-03 took 23 s to allocate Selby's case after York's, past a 20 s look-ahead.
        public static readonly TimeSpan ReviewEvery = TimeSpan.FromSeconds(90);
        public static readonly TimeSpan ReviewOverdueAfter = TimeSpan.FromSeconds(2);
        public static readonly TimeSpan ReviewLookahead = TimeSpan.FromSeconds(30);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:FirstContactDeadline", "PT70S");
            builder.UseSetting("Lifecycle:FirstContactReminderBefore", "PT2S");
            builder.UseSetting("Lifecycle:ReviewEvery", System.Xml.XmlConvert.ToString(ReviewEvery));
            builder.UseSetting("Lifecycle:ReviewReminderBefore", "PT2S");
            builder.UseSetting("Lifecycle:ReviewOverdueAfter", System.Xml.XmlConvert.ToString(ReviewOverdueAfter));
            builder.UseSetting("Digests:ReviewLookahead", ReviewLookahead.ToString("c", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The app with the digest loop on, sending at 11:00 local and looking every tenth of a second.</summary>
    private sealed class LoopingFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Digests:Enabled", "true");
            builder.UseSetting("Digests:SendAt", "11:00");
            builder.UseSetting("Digests:CheckInterval", "00:00:00.1");
        }
    }

    /// <summary>
    /// The app whose provider throttles the first digest handed to it (other email goes through), and
    /// that notes the digest row's status at each hand-over.
    /// </summary>
    private sealed class ThrottledOnceFactory : HandInHandFactory
    {
        public ThrottledOnceSender Sender { get; private set; } = null!;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IEmailSender>(sp =>
                Sender = new ThrottledOnceSender(new DevelopmentMailbox(MailboxPath, sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<TableProvider>())));
        }
    }

    private sealed class ThrottledOnceSender(IEmailSender inner, TableProvider tables) : IEmailSender
    {
        private int _digests;

        public List<string?> StatusWhenHandedOver { get; } = [];

        public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            var id = message.MessageId.Split('|');
            if (id[0] == "digest")
            {
                var row = await tables.Get(DigestJob.TableName).GetEntityIfExistsAsync(id[2], id[1], cancellationToken: cancellationToken);
                lock (StatusWhenHandedOver)
                {
                    StatusWhenHandedOver.Add(row?.GetString("Status"));
                }

                if (Interlocked.Increment(ref _digests) == 1)
                {
                    throw new SendGridException(429, "Throttled.");
                }
            }

            return await inner.SendAsync(message, cancellationToken);
        }
    }
}
