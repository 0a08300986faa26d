using HandInHand.Domain.Lifecycle;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class RecordingSessions
{
    private static readonly DateTimeOffset RecordedAt = ContactRecordedAt.AddDays(10);

    private static readonly DateOnly HeldOn = DateOnly.FromDateTime(RecordedAt.UtcDateTime).AddDays(-2);

    [Fact]
    public void TheCaseHolderRecordsASessionWithItsDayKindAndNote()
    {
        var state = Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordSession(Practitioner, RecordedAt, HeldOn, SessionKind.FaceToFace, "  Met at school; talked about safe adults.  "))
            .Then(new SessionRecorded(Practitioner, RecordedAt, HeldOn, SessionKind.FaceToFace, "Met at school; talked about safe adults."));

        Assert.Equal(1, state.SessionCount);
        Assert.Equal(HeldOn, state.LastSessionOn);
        Assert.Equal(Stage.Active, state.Stage);
    }

    [Fact]
    public void AnotherPractitionerMayNotRecordASession()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordSession(OtherPractitioner, RecordedAt, HeldOn, SessionKind.Phone, "a call"))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    public static TheoryData<string, string> BadSessions() => new()
    {
        { "empty note", "note" },
        { "long note", "note" },
        { "a day after today", "heldOn" },
        { "before first contact", "heldOn" },
        { "unknown kind", "kind" },
    };

    [Theory]
    [MemberData(nameof(BadSessions))]
    public void ASessionNeedsAShortNoteAKnownKindAndADayBetweenFirstContactAndToday(string fault, string field)
    {
        var today = DateOnly.FromDateTime(RecordedAt.UtcDateTime);
        var command = fault switch
        {
            "empty note" => new C.RecordSession(Practitioner, RecordedAt, HeldOn, SessionKind.Phone, "   "),
            "long note" => new C.RecordSession(Practitioner, RecordedAt, HeldOn, SessionKind.Phone, new string('x', ReferralDecider.SessionNoteMaxLength + 1)),
            "a day after today" => new C.RecordSession(Practitioner, RecordedAt, today.AddDays(2), SessionKind.Phone, "a call"),
            "before first contact" => new C.RecordSession(Practitioner, RecordedAt, DateOnly.FromDateTime(ContactedAt.UtcDateTime).AddDays(-2), SessionKind.Phone, "a call"),
            "unknown kind" => new C.RecordSession(Practitioner, RecordedAt, HeldOn, (SessionKind)9, "a call"),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };

        Given(Histories.AtStage(Stage.Active)).When(command).ThenRejected(RejectionKind.Invalid, field);
    }

    [Fact]
    public void ErasureTakesTheNoteAndKeepsTheDayAndKind()
    {
        var redacted = Erasure.Redact(new SessionRecorded(Practitioner, RecordedAt, HeldOn, SessionKind.Online, "talked about home"));

        Assert.Equal(new SessionRecorded(Practitioner, RecordedAt, HeldOn, SessionKind.Online, Erasure.ErasedText), redacted);
    }
}
