using HandInHand.Infrastructure.Mail;

namespace HandInHand.Infrastructure.Tests.Mail;

public sealed class EmailMessageTests
{
    private static readonly EmailAddress From = new("referrals@handinhand.example", "HandInHand referrals");
    private static readonly EmailAddress To = new("duty.worker@council.example");

    private static EmailMessage Valid(string messageId = "hih-1") =>
        new(messageId, From, To, "Referral HH-2026-00042: update", "Sign in to see it.", "<p>Sign in to see it.</p>");

    [Theory]
    [InlineData("A-z_0.9|x")]
    [InlineData("01JQ6Z8Y3V4W5X6Y7Z8A9B0C1D")]
    public void AMessageIdOfLettersDigitsAndPipeDotUnderscoreHyphenIsAccepted(string messageId) =>
        Assert.Equal(messageId, Valid(messageId).MessageId);

    [Fact]
    public void AMessageIdOfExactly100CharactersIsAccepted() => Assert.Equal(100, Valid(new string('a', 100)).MessageId.Length);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("a@b")]
    [InlineData("<a>")]
    [InlineData("café")]
    public void AMessageIdWithAnyOtherCharacterIsRefused(string messageId) =>
        Assert.ThrowsAny<ArgumentException>(() => Valid(messageId));

    [Fact]
    public void AMessageIdLongerThan100CharactersIsRefused() =>
        Assert.Throws<ArgumentException>(() => Valid(new string('a', 101)));

    [Theory]
    [InlineData("Referral HH-1\r\nBcc: someone@example.org")]
    [InlineData("Referral HH-1\nupdate")]
    [InlineData("Referral HH-1\rupdate")]
    [InlineData("")]
    [InlineData("   ")]
    public void ASubjectWithALineBreakOrNothingInItIsRefused(string subject) =>
        Assert.ThrowsAny<ArgumentException>(() => Valid() with { Subject = subject });

    [Fact]
    public void ASubjectHasAtMost200Characters()
    {
        Assert.Equal(200, (Valid() with { Subject = new string('s', 200) }).Subject.Length);
        Assert.Throws<ArgumentException>(() => Valid() with { Subject = new string('s', 201) });
    }

    [Fact]
    public void EmptyBodiesAreRefused()
    {
        Assert.ThrowsAny<ArgumentException>(() => Valid() with { PlainText = "" });
        Assert.ThrowsAny<ArgumentException>(() => Valid() with { Html = " " });
    }

    [Fact]
    public void TheConstructorChecksAsWellAsWith() =>
        Assert.Throws<ArgumentException>(() => new EmailMessage("hih-1", From, To, "a\nb", "x", "y"));

    [Fact]
    public void MissingAddressesAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new EmailMessage("hih-1", null!, To, "s", "x", "y"));
        Assert.Throws<ArgumentNullException>(() => Valid() with { To = null! });
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("@example.org")]
    [InlineData("someone@")]
    [InlineData("some one@example.org")]
    [InlineData("someone@example.org\r\nBcc: x@y")]
    [InlineData("a<b@example.org")]
    [InlineData("a,b@example.org")]
    public void AMalformedAddressIsRefused(string address) =>
        Assert.ThrowsAny<ArgumentException>(() => new EmailAddress(address));

    [Fact]
    public void ADisplayNameWithALineBreakIsRefused() =>
        Assert.Throws<ArgumentException>(() => new EmailAddress("a@example.org", "Duty\r\nBcc: x@y"));

    [Fact]
    public void CategoriesAreAtMostTenPrintableAsciiPairsWithoutAColonInTheName()
    {
        var ten = Enumerable.Range(0, 10).ToDictionary(i => "k" + i, i => "v");
        Assert.Equal(255, "kind:".Length + (Valid() with { Categories = new Dictionary<string, string> { ["kind"] = new string('v', 250) } }).Categories!["kind"].Length);
        Assert.Equal(10, (Valid() with { Categories = ten }).Categories!.Count);

        Assert.Throws<ArgumentException>(() => Valid() with { Categories = Enumerable.Range(0, 11).ToDictionary(i => "k" + i, i => "v") });
        Assert.Throws<ArgumentException>(() => Valid() with { Categories = new Dictionary<string, string> { ["a:b"] = "c" } });
        Assert.Throws<ArgumentException>(() => Valid() with { Categories = new Dictionary<string, string> { ["kind"] = "référence" } });
        Assert.Throws<ArgumentException>(() => Valid() with { Categories = new Dictionary<string, string> { ["kind"] = "" } });
        Assert.Throws<ArgumentException>(() => Valid() with { Categories = new Dictionary<string, string> { ["kind"] = new string('v', 251) } }); // "kind:" + 251 = 256
    }

    [Fact]
    public void ToStringShowsTheMessageIdButNeitherRecipientNorContent()
    {
        var message = Valid("hih-42");

        Assert.Equal("EmailMessage { MessageId = hih-42 }", message.ToString());
        Assert.DoesNotContain("duty.worker", message.To.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResultsPrintOnlyWhatTheyCarry()
    {
        Assert.Equal("Accepted { ProviderMessageId = x }", new SendResult.Accepted("x").ToString());
        Assert.Equal("Rejected { Status = 400, Error = e }", new SendResult.Rejected(400, "e").ToString());
        Assert.Equal("Unknown { Reason = r }", new SendResult.Unknown("r").ToString());
    }
}
