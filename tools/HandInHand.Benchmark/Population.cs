using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Benchmark;

/// <summary>
/// Loads open referrals straight through the storage layer, as intake would leave them: each
/// referral's first step (state, history, form) in one transaction of its own partition, decided
/// by the real decider, and the due-time index rows in transactions of 100 per index partition.
/// The acknowledgement is taken as already sent, so no outbox is left behind.
/// </summary>
internal sealed class Population
{
    private const string Prefix = "BM";
    private readonly ReferralWorkflowStore _store;
    private readonly ReferralStore _referrals;
    private readonly TimerIndex _index;
    private readonly ReferralDecider _decider;
    private readonly IReadOnlyList<ReferralForm> _forms;
    private int _next;

    public Population(Engine engine)
    {
        _store = engine.Get<ReferralWorkflowStore>();
        _referrals = engine.Get<ReferralStore>();
        _index = engine.Get<TimerIndex>();
        _decider = engine.Get<ReferralDecider>();
        var regions = IntakePolicy.DefaultRegions;
        string[] risks = ["high", "medium", "standard"];
        _forms = [.. regions.SelectMany(region => risks.Select(risk => Validated(region, risk)))];
    }

    /// <summary>How many referrals have been loaded.</summary>
    public int Count => _next;

    /// <summary>
    /// Adds <paramref name="count"/> referrals received at <paramref name="receivedAt"/>(i), with
    /// <paramref name="workers"/> transactions in flight. Returns each new referral's timers.
    /// </summary>
    public async Task<IReadOnlyList<(string Reference, string Kind, DateTimeOffset DueAt, long Version)>> AddAsync(int count, Func<int, DateTimeOffset> receivedAt, int workers)
    {
        var first = _next;
        _next += count;
        var timers = new ConcurrentBag<(string Reference, string Kind, DateTimeOffset DueAt, long Version)>();
        var taken = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref taken); i < count; i = Interlocked.Increment(ref taken))
            {
                var number = first + i + 1;
                var reference = new ReferenceNumber(Prefix, 2026, number).ToString();
                var form = _forms[number % _forms.Count];
                var at = receivedAt(i);
                var receive = new ReferralCommand.Receive(Actor.System, at, reference, form.Pathway, form.YoungPerson.Region, form.RiskLevel, form.YoungPerson.DateOfBirth, []);
                var events = _decider.Decide(receive, ReferralState.Initial);
                var state = ReferralState.Initial.Evolve(events);
                var record = new ReferralRecord(reference, ReferralStatus.Received, at, at.AddHours(24), Hash(reference), ReferralFormJson.Fingerprint(form), form);
                var version = await WithRetriesAsync(() => _store.CommitAsync(reference, null, state, events, [], at, extraRows: [_referrals.FormEntity(record)]));
                foreach (var set in events.OfType<ReferralEvent.TimerSet>())
                {
                    timers.Add((reference, set.Kind.ToString(), set.DueAt, version));
                }

                if ((first + i + 1) % 2000 == 0)
                {
                    Console.Error.WriteLine($"[bench]   {first + i + 1} referrals loaded, {DateTimeOffset.UtcNow:HH:mm:ss}");
                }
            }
        })));

        // Index rows in bulk: slices by reference, so that each writer fills transactions of 100 per index partition.
        var all = timers.OrderBy(t => t.Reference, StringComparer.Ordinal).ToList();
        var slice = (all.Count / workers) + 1;
        await Task.WhenAll(all.Chunk(slice).Select(part => WithRetriesAsync(async () =>
        {
            await _index.AddManyAsync(part, DateTimeOffset.UtcNow);
            return 0L;
        })));
        return all;
    }

    /// <summary>
    /// The emulator now and then resets a keep-alive connection under load; a commit that did not
    /// land (or index upserts, which are safe to repeat) is simply tried again.
    /// </summary>
    private static async Task<long> WithRetriesAsync(Func<Task<long>> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (Exception ex) when (attempt < 5 && ex is ConcurrentChangeException or Azure.RequestFailedException)
            {
                Console.Error.WriteLine($"[bench]   a load write failed ({ex.GetType().Name}); trying again");
                await Task.Delay(200 * attempt);
            }
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static ReferralForm Validated(string region, string risk)
    {
        var submission = new ReferralSubmission
        {
            YoungPerson = new YoungPersonSubmission
            {
                FirstName = "Bench",
                LastName = "Mark",
                DateOfBirth = "2011-05-14",
                Gender = "female",
                Ethnicity = "white",
                Region = region,
                SchoolOrSetting = "Example Academy",
                SafeContact = "Through the social worker on weekdays",
            },
            Concerns = ["cse", "online-grooming"],
            ConcernDetails = "Contact with older adults online",
            RiskLevel = risk,
            YoungPersonKnowsAboutReferral = true,
            YoungPersonAgreesToReferral = true,
            Referrer = new ReferrerSubmission { Name = "Sam Worker", Organisation = "Children's Social Care", Type = "social-care", Email = "sam.worker@example.org", Phone = "01904 555123" },
        };
        var result = ReferralValidator.Validate(submission, new DateOnly(2026, 11, 23), new IntakePolicy());
        return result.Form ?? throw new InvalidOperationException("The benchmark's form does not validate: " + string.Join("; ", result.Errors.Select(e => e.Field)));
    }

    /// <summary>Referrals per second of a load that took <paramref name="elapsed"/>.</summary>
    public static double Rate(int count, TimeSpan elapsed) => count / elapsed.TotalSeconds;

    public static string Describe(int count, Stopwatch watch) => string.Create(CultureInfo.InvariantCulture, $"{count} in {watch.Elapsed.TotalSeconds:0.0} s ({Rate(count, watch.Elapsed):0}/s)");
}
