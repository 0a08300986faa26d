using System.Text.Json.Nodes;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>A referral that may be about a young person already referred names the earlier referral for the manager.</summary>
public sealed class PossibleDuplicateTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task ASecondReferralWithTheSameDateOfBirthAndASimilarNameOrTheSamePhoneShowsTheFirstAsAPossibleDuplicate()
    {
        var first = await _hh.SubmitAsync(Person("Amelia", "Thornbury", "2011-03-09", "07700 900461"));
        var misspelt = await _hh.SubmitAsync(Person("amélia", "Thornbery", "2011-03-09", "07700 900462"));
        var swapped = await _hh.SubmitAsync(Person("Thornbury", "Amelia", "2011-03-09", "07700 900463"));
        var samePhone = await _hh.SubmitAsync(Person("Casey", "Holloway", "2012-07-21", "+44 7700 900461"));
        var sameBirthdayOnly = await _hh.SubmitAsync(Person("Jordan", "Pemberton", "2011-03-09", "07700 900464"));
        var similarNameOtherBirthday = await _hh.SubmitAsync(Person("Amelia", "Thornbury", "2011-03-10", "07700 900465"));

        Assert.Empty((await _hh.ViewAsync(first)).PossibleDuplicates);
        Assert.Equal([first], (await _hh.ViewAsync(misspelt)).PossibleDuplicates);
        Assert.Equal([first, misspelt], (await _hh.ViewAsync(swapped)).PossibleDuplicates.Order(StringComparer.Ordinal));
        Assert.Equal([first], (await _hh.ViewAsync(samePhone)).PossibleDuplicates);
        Assert.Empty((await _hh.ViewAsync(sameBirthdayOnly)).PossibleDuplicates);
        Assert.Empty((await _hh.ViewAsync(similarNameOtherBirthday)).PossibleDuplicates);

        // The manager sees it where triage happens.
        var queue = await _hh.GetOkAsync<List<QueueItem>>("/api/staff/triage-queue");
        Assert.Equal([first], Assert.Single(queue, q => q.Reference == misspelt).PossibleDuplicates);
        Assert.Empty(Assert.Single(queue, q => q.Reference == first).PossibleDuplicates);
    }

    private static JsonObject Person(string firstName, string lastName, string dateOfBirth, string phone) =>
        Submissions.Valid(firstName, lastName)
            .With("youngPerson.dateOfBirth", JsonValue.Create(dateOfBirth))
            .With("youngPerson.phone", JsonValue.Create(phone));
}
