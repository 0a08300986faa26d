using System.Globalization;
using HandInHand.Infrastructure.Mail;
using Microsoft.Extensions.Time.Testing;

namespace HandInHand.Infrastructure.Tests.Mail;

/// <summary>The development mailbox writes real .eml files; each test reads them back with a separate parser.</summary>
public sealed class DevelopmentMailboxTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 5, TimeSpan.Zero);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hih-mailbox-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(Start);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private DevelopmentMailbox Mailbox() => new(_folder, _clock);

    private static EmailMessage Message(string messageId = "hih-0001|allocation", string subject = "Referral HH-2026-00042 allocated to you") => new(
        messageId,
        new EmailAddress("referrals@handinhand.example", "HandInHand referrals"),
        new EmailAddress("duty.worker@council.example", "Duty worker"),
        subject,
        "A referral has been allocated to you.\nSign in to see it: https://handinhand.example/sign-in\n",
        "<p>A referral has been allocated to you.</p>\n<p><a href=\"https://handinhand.example/sign-in\">Sign in</a></p>");

    [Fact]
    public async Task TheFileIsAnRfc5322MessageWithAPlainAndAnHtmlPart()
    {
        var result = await Mailbox().SendAsync(Message());

        var accepted = Assert.IsType<SendResult.Accepted>(result);
        string path = Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal(Path.GetFileName(path), accepted.ProviderMessageId);
        Assert.EndsWith(".eml", path, StringComparison.Ordinal);

        string raw = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain(raw.Replace("\r\n", string.Empty, StringComparison.Ordinal), c => c is '\r' or '\n');
        Assert.All(raw.Split("\r\n"), line => Assert.True(line.Length <= 78, $"line longer than 78: {line}"));
        Assert.All(raw, c => Assert.True(c < 128, "not 7-bit"));

        var eml = EmlReader.Parse(raw);
        Assert.Equal("\"HandInHand referrals\" <referrals@handinhand.example>", eml.Header("From"));
        Assert.Equal("\"Duty worker\" <duty.worker@council.example>", eml.Header("To"));
        Assert.Equal("Referral HH-2026-00042 allocated to you", eml.Header("Subject"));
        Assert.Equal(Start, DateTimeOffset.ParseExact(eml.Header("Date")!, "ddd, dd MMM yyyy HH:mm:ss zzzz", CultureInfo.InvariantCulture));
        // The sender's domain: a fixed one would name the service in every message, a young person's included.
        Assert.Equal("<hih-0001|allocation@handinhand.example>", eml.Header("Message-ID"));
        Assert.Equal("1.0", eml.Header("MIME-Version"));
        Assert.StartsWith("multipart/alternative;", eml.Header("Content-Type"), StringComparison.Ordinal);

        var parts = eml.Parts();
        Assert.Equal(2, parts.Count);
        Assert.Equal("text/plain; charset=utf-8", parts[0].Header("Content-Type"));
        Assert.Equal("text/html; charset=utf-8", parts[1].Header("Content-Type"));
        Assert.All(parts, p => Assert.Equal("quoted-printable", p.Header("Content-Transfer-Encoding")));
        Assert.Equal(Message().PlainText.ReplaceLineEndings("\r\n"), parts[0].DecodedBody());
        Assert.Equal(Message().Html.ReplaceLineEndings("\r\n"), parts[1].DecodedBody());
    }

    [Fact]
    public async Task ANonAsciiSubjectIsWrittenAsEncodedWordsThatDecodeBackToIt()
    {
        string subject = "Référence HH-2026-00042 — « mise à jour » pour l'équipe ✓ 𝄞 " + string.Concat(Enumerable.Repeat("ÆØÅ ", 20));
        await Mailbox().SendAsync(Message(subject: subject.Trim()));

        var eml = EmlReader.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_folder))));

        string rawSubject = eml.RawHeader("Subject")!;
        Assert.StartsWith("=?utf-8?B?", rawSubject, StringComparison.Ordinal);
        Assert.All(rawSubject.Split(' ', StringSplitOptions.RemoveEmptyEntries), word => Assert.True(word.Length <= 75, $"encoded word longer than 75: {word}"));
        Assert.Equal(subject.Trim(), eml.Header("Subject"));
    }

    [Fact]
    public async Task AnAsciiSubjectThatLooksLikeAnEncodedWordIsEncodedSoItReadsBackLiterally()
    {
        await Mailbox().SendAsync(Message(subject: "Referral =?utf-8?B?SGk=?= update"));

        var eml = EmlReader.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_folder))));

        Assert.Equal("Referral =?utf-8?B?SGk=?= update", eml.Header("Subject"));
    }

    [Fact]
    public async Task DisplayNamesAreQuotedOrEncodedSoTheyCannotBreakTheHeader()
    {
        var message = Message() with
        {
            From = new EmailAddress("appointments@handinhand.example", "Dr \"Who\" \\ Appointments"),
            To = new EmailAddress("young.person@example.org", "Zoë"),
        };

        await Mailbox().SendAsync(message);

        var eml = EmlReader.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_folder))));
        Assert.Equal("\"Dr \\\"Who\\\" \\\\ Appointments\" <appointments@handinhand.example>", eml.RawHeader("From"));
        Assert.Equal("Zoë <young.person@example.org>", eml.Header("To"));
        Assert.StartsWith("=?utf-8?B?", eml.RawHeader("To"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuotedPrintableKeepsLongLinesTrailingSpacesEqualsSignsAndBoundaryLookalikes()
    {
        string text = string.Concat(Enumerable.Repeat("0123456789 ", 40)) + "\n" +
            "a = b, 100% sure\n" +
            "ends with spaces   \n" +
            "ends with a tab\t\n" +
            "--=_hih_alternative_1\n" +
            "--=_hih_alternative_1--\n" +
            "Ünïcödé on a line that is long enough to need a soft break somewhere in the middle ✓✓✓✓✓✓✓✓✓\n" +
            ".\n";
        await Mailbox().SendAsync(Message() with { PlainText = text });

        var eml = EmlReader.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_folder))));

        var plain = eml.Parts()[0];
        Assert.Equal(text.ReplaceLineEndings("\r\n"), plain.DecodedBody());
        Assert.All(plain.Body.Split("\r\n"), line =>
        {
            Assert.True(line.Length <= 76, $"quoted-printable line longer than 76: {line}");
            Assert.False(line.EndsWith(' ') || line.EndsWith('\t'), $"line ends in whitespace: [{line}]");
        });
    }

    [Fact]
    public async Task SendingTheSameMessageTwiceLeavesOneFileWithTheLatestWrite()
    {
        var mailbox = Mailbox();
        await mailbox.SendAsync(Message());
        _clock.SetUtcNow(Start.AddMinutes(5));

        await mailbox.SendAsync(Message());

        string path = Assert.Single(Directory.GetFiles(_folder));
        var eml = EmlReader.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal(EmlDate(Start.AddMinutes(5)), eml.Header("Date"));
        var stored = Assert.Single(mailbox.List());
        Assert.Equal(Start.AddMinutes(5), stored.Written);
    }

    [Fact]
    public async Task IdsThatDifferOnlyInCaseOrPunctuationGetFilesOfTheirOwn()
    {
        string[] ids = ["a|b", "a_b", "A_B", ".a_b"];
        var mailbox = Mailbox();
        foreach (string id in ids)
        {
            await mailbox.SendAsync(Message(id));
        }

        Assert.Equal(4, Directory.GetFiles(_folder).Length);
        Assert.Equal(ids, mailbox.List().Select(e => e.MessageId).OrderBy(id => Array.IndexOf(ids, id)));
        Assert.All(ids, id => Assert.Contains($"<{id}@handinhand.example>", mailbox.Read(id), StringComparison.Ordinal));
        Assert.All(Directory.GetFiles(_folder), f => Assert.False(Path.GetFileName(f).StartsWith('.')));
    }

    [Fact]
    public async Task ListIsNewestFirstWithDecodedHeadersAndReadReturnsTheWholeFile()
    {
        var mailbox = Mailbox();
        await mailbox.SendAsync(Message("first"));
        _clock.SetUtcNow(Start.AddSeconds(10));
        await mailbox.SendAsync(Message("second|x", subject: "Référence HH-2026-00043"));
        _clock.SetUtcNow(Start.AddSeconds(20));
        await mailbox.SendAsync(Message("third"));

        var list = mailbox.List();

        Assert.Equal(["third", "second|x", "first"], list.Select(e => e.MessageId));
        Assert.Equal([Start.AddSeconds(20), Start.AddSeconds(10), Start], list.Select(e => e.Written));
        Assert.Equal("Référence HH-2026-00043", list[1].Subject);
        Assert.Equal("\"Duty worker\" <duty.worker@council.example>", list[1].To);
        Assert.Equal(await File.ReadAllTextAsync(list[1].Path), mailbox.Read("second|x"));
    }

    [Theory]
    [InlineData("never-sent")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    public void ReadingAMessageThatIsNotThereOrAnInvalidIdGivesNull(string messageId) => Assert.Null(Mailbox().Read(messageId));

    [Fact]
    public void AnEmptyOrMissingFolderListsNothing() => Assert.Empty(Mailbox().List());

    [Fact]
    public async Task FilesOtherThanEmlAreNotListed()
    {
        var mailbox = Mailbox();
        await mailbox.SendAsync(Message());
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), "not a message");

        Assert.Single(mailbox.List());
    }

    [Fact]
    public async Task ACancelledSendWritesNothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Mailbox().SendAsync(Message(), cancel.Token));
        Assert.False(Directory.Exists(_folder) && Directory.EnumerateFileSystemEntries(_folder).Any());
    }

    private static string EmlDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";
}
