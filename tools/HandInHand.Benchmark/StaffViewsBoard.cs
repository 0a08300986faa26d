using System.Collections.Immutable;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Benchmark;

/// <summary>
/// A case board as a live service would have it after a number of referrals, loaded in bulk for the
/// staff views benchmark (issue 14). Every referral leaves its own row on the board; only the open
/// ones are on the views, and how many are open is bounded by the service, not by its history:
/// 40 practitioners hold at most 25 cases each (capacity 30), the waiting list and the triage queue
/// are a few hundred and a few dozen. The rest are closed (their own row only, as a closed referral
/// leaves it once the sweep has removed its tombstones). Sizes grow: each call to
/// <see cref="GrowToAsync"/> adds the referrals between the last size and the next, the open ones
/// that the larger service has in addition to the smaller's, the rest closed.
/// </summary>
internal sealed class StaffViewsBoard
{
    public const int Practitioners = 40;
    public const int Capacity = 30;

    /// <summary>The practitioners' capacity in the uncapped shape: room for every case the shape gives them (the ledger numbers places up to 999).</summary>
    public const int UncappedCapacity = 999;
    public const string PractitionerPrefix = "bench-practitioner-";

    /// <summary>The board's rows are written with a version any real refresh would exceed.</summary>
    private const long Version = 1;

    /// <summary>The service's regions (those of appsettings.json).</summary>
    public static IReadOnlyList<string> Regions { get; } = ["City of York", "Craven and Harrogate", "Hambleton and Richmondshire", "Scarborough, Whitby and Ryedale", "Selby"];

    private readonly TableClient _table;
    private readonly WaitingListIndex _waitingList;
    private readonly CaseloadLedger _caseloads;
    private readonly DateTimeOffset _now;
    private readonly Dictionary<Stage, int> _open = CaseBoard.OpenStages.ToDictionary(s => s, _ => 0);
    private readonly int[] _held = new int[Practitioners];

    private readonly bool _uncapped;

    /// <param name="uncapped">A stress shape instead of a live service's: the open share of every stage grows with the referrals, without the bounds a service's capacity sets (see <see cref="OpenAt"/>).</param>
    public StaffViewsBoard(TableClient table, WaitingListIndex waitingList, CaseloadLedger caseloads, DateTimeOffset now, bool uncapped)
    {
        _uncapped = uncapped;
        _table = table;
        _waitingList = waitingList;
        _caseloads = caseloads;
        _now = now;
    }

    /// <summary>Referrals on the board so far (open and closed).</summary>
    public int Referrals { get; private set; }

    /// <summary>Open referrals per stage so far.</summary>
    public IReadOnlyDictionary<Stage, int> Open => _open;

    /// <summary>The cases the first practitioner holds (the "my cases" view measured).</summary>
    public int HeldByFirst => _held[0];

    public int OpenTotal => _open.Values.Sum();

    public static string PractitionerId(int index) => PractitionerPrefix + index.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The open referrals a service of <paramref name="referrals"/> has at each stage: 3%, 1%, 1%,
    /// 8%, 5% and 25% of them, up to 60, 20, 20, 500, 150 and 850 (so at most 1,000 held by 40
    /// practitioners of capacity 30); <paramref name="uncapped"/>, without those bounds.
    /// </summary>
    public static IReadOnlyDictionary<Stage, int> OpenAt(int referrals, bool uncapped)
    {
        int Share(int percent, int cap) => uncapped ? referrals * percent / 100 : Math.Min(referrals * percent / 100, cap);
        return new Dictionary<Stage, int>
        {
            [Stage.AwaitingTriage] = Share(3, 60),
            [Stage.AwaitingInformation] = Share(1, 20),
            [Stage.AwaitingAllocation] = Share(1, 20),
            [Stage.WaitingList] = Share(8, 500),
            [Stage.Allocated] = Share(5, 150),
            [Stage.Active] = Share(25, 850),
        };
    }

    /// <summary>Adds referrals up to <paramref name="referrals"/>: the case board's rows in $batch transactions of up to 100 per partition, the waiting list and the caseloads through their own stores.</summary>
    public async Task<TimeSpan> GrowToAsync(int referrals, int inFlight, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var target = OpenAt(referrals, _uncapped);
        var stages = new List<Stage?>();
        foreach (var stage in CaseBoard.OpenStages)
        {
            stages.AddRange(Enumerable.Repeat<Stage?>(stage, target[stage] - _open[stage]));
        }

        stages.AddRange(Enumerable.Repeat<Stage?>(null, referrals - Referrals - stages.Count));
        var rows = new List<TableEntity>();
        var waiting = new List<CaseCard>();
        var held = new List<CaseCard>();
        for (var n = 0; n < stages.Count; n++)
        {
            var index = Referrals + n;
            var reference = $"HH-2025-{index + 1:D6}";
            if (stages[n] is not { } stage)
            {
                rows.AddRange(CaseBoard.RowsOf(reference, Version, null));
                continue;
            }

            var card = Card(index, reference, stage);
            rows.AddRange(CaseBoard.RowsOf(reference, Version, card));
            _open[stage]++;
            if (stage == Stage.WaitingList)
            {
                waiting.Add(card);
            }
            else if (card.IsHeld)
            {
                held.Add(card);
            }
        }

        Referrals = referrals;
        var batches = rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(100)).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(batches, options, async (batch, ct) =>
        {
            if (batch.Length == 1)
            {
                await _table.AddEntityAsync(batch[0], ct);
            }
            else
            {
                await _table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct);
            }
        });
        await Parallel.ForEachAsync(waiting, options, async (card, ct) =>
            await _waitingList.JoinAsync(card.Region, card.Reference, card.RiskLevel, card.ReceivedAt, card.WaitingSince!.Value, ct));
        await Parallel.ForEachAsync(held, options, async (card, ct) =>
        {
            if (!await _caseloads.TryReserveAsync(card.PractitionerId!, card.Reference, _uncapped ? UncappedCapacity : Capacity, card.ReceivedAt, ct))
            {
                throw new InvalidOperationException("A seeded case found its practitioner full.");
            }
        });
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// An open referral's card at <paramref name="stage"/>. Its escalation deadline is spread so that
    /// the due view lists a handful: one referral in 50 has missed it, one in 50 has it due later
    /// today, the rest within the next four weeks.
    /// </summary>
    private CaseCard Card(int index, string reference, Stage stage)
    {
        var held = stage is Stage.Allocated or Stage.Active;
        // One referral in five is for the panel (Trusted Relationships) while it waits for its
        // decision or its strand; the product never puts one on the waiting list, and once allocated
        // it is a practitioner's case like any other.
        var pathway = stage is Stage.AwaitingTriage or Stage.AwaitingInformation or Stage.AwaitingAllocation && index % 5 == 0 ? ServicePathway.TrustedRelationships : ServicePathway.HandInHand;
        var risk = index % 10 == 0 ? RiskLevel.High : index % 4 == 0 ? RiskLevel.Medium : RiskLevel.Standard;
        var ageDays = stage switch
        {
            Stage.AwaitingTriage => index % 4,
            Stage.AwaitingInformation => 3 + (index % 8),
            Stage.AwaitingAllocation => 5 + (index % 10),
            Stage.WaitingList => 10 + (index % 110),
            Stage.Allocated => 10 + (index % 30),
            _ => 30 + (index % 330),
        };
        var received = _now - TimeSpan.FromDays(ageDays) - TimeSpan.FromMinutes(index % 1440);
        string? practitioner = null;
        if (held)
        {
            var p = Array.IndexOf(_held, _held.Min());
            _held[p]++;
            practitioner = PractitionerId(p);
        }

        var timers = ImmutableSortedDictionary<TimerKind, DateTimeOffset>.Empty;
        var missed = ImmutableSortedDictionary<TimerKind, DateTimeOffset>.Empty;
        TimerKind? escalation = stage switch
        {
            Stage.AwaitingTriage => TimerKind.TriageDeadline,
            Stage.AwaitingInformation => TimerKind.InformationDeadline,
            Stage.Allocated => TimerKind.FirstContactDeadline,
            Stage.Active => TimerKind.ReviewOverdue,
            _ => null,
        };
        var due = (index % 50) switch
        {
            0 => _now - TimeSpan.FromDays(2),
            1 => _now + TimeSpan.FromMinutes(30),
            _ => _now + TimeSpan.FromDays(2 + (index % 26)),
        };
        if (escalation is { } kind)
        {
            if (due < _now)
            {
                missed = missed.Add(kind, due);
            }
            else
            {
                timers = timers.Add(kind, due);
            }
        }

        if (stage == Stage.WaitingList)
        {
            timers = timers.Add(TimerKind.WaitingListCheck, _now + TimeSpan.FromDays(1 + (index % 28)));
        }

        return new CaseCard(
            reference, stage, pathway, Regions[index % Regions.Count], risk, received, practitioner,
            WaitingSince: stage == Stage.WaitingList ? received + TimeSpan.FromDays(7) : null,
            NextReviewDue: stage == Stage.Active ? due : null,
            timers, missed, PossibleDuplicates: []);
    }
}
