using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Email;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Notifications;

/// <summary>Where one recipient's digest of one day stands.</summary>
public enum DigestStatus
{
    /// <summary>Recorded, not yet handed to the provider.</summary>
    Pending,
    /// <summary>Being handed over now; found in this state later, the outcome is unknown.</summary>
    Sending,
    /// <summary>The provider accepted it.</summary>
    Sent,
    /// <summary>The provider refused it for good.</summary>
    Failed,
    /// <summary>It may or may not have gone: never resent.</summary>
    Unknown,
    /// <summary>There was nothing to say that day: no digest.</summary>
    NothingToSay,
}

/// <summary>What one run did for one recipient.</summary>
public enum DigestOutcome
{
    /// <summary>Sent in this run.</summary>
    Sent,
    /// <summary>Nothing to say today, decided in this run.</summary>
    NothingToSay,
    /// <summary>Today's digest was settled by an earlier run (sent, nothing to say, failed or unknown).</summary>
    AlreadyDone,
    /// <summary>No usable address (or id) for the recipient: skipped, nothing recorded.</summary>
    NoAddress,
    /// <summary>Another run is sending it right now.</summary>
    InProgress,
    /// <summary>Certainly not sent (the provider was throttling or unreachable, or storage failed): a later run tries again.</summary>
    Deferred,
    /// <summary>The provider refused it in this run.</summary>
    Failed,
    /// <summary>It may or may not have gone; it will not be sent again.</summary>
    Unknown,
}

/// <summary>One run's outcomes, counted.</summary>
/// <param name="Date">The local date the digests are for.</param>
public sealed record DigestRunReport(DateOnly Date, int Sent, int NothingToSay, int AlreadyDone, int NoAddress, int InProgress, int Deferred, int Failed, int Unknown)
{
    /// <summary>True when every recipient's digest for the day is settled, so another run that day has nothing to do.</summary>
    public bool Complete => InProgress == 0 && Deferred == 0;

    public static DigestRunReport Of(DateOnly date, IReadOnlyCollection<DigestOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        int Count(DigestOutcome o) => outcomes.Count(x => x == o);
        return new DigestRunReport(
            date,
            Count(DigestOutcome.Sent),
            Count(DigestOutcome.NothingToSay),
            Count(DigestOutcome.AlreadyDone),
            Count(DigestOutcome.NoAddress),
            Count(DigestOutcome.InProgress),
            Count(DigestOutcome.Deferred),
            Count(DigestOutcome.Failed),
            Count(DigestOutcome.Unknown));
    }
}

/// <summary>
/// Sends the daily digests: one to the manager, one to each practitioner holding a case, at most
/// once per recipient per local day. It reads what a digest may know of the open referrals it can
/// show from the case board's attention view once, composes each digest with <see cref="Digests"/>
/// (references, counts and times only) and hands it to the <see cref="IEmailSender"/> under the message id <c>digest|&lt;recipient id&gt;|&lt;yyyy-MM-dd&gt;</c>.
/// </summary>
/// <remarks>
/// The <c>Digests</c> table holds one row per day and recipient (partition: the local date; row:
/// the recipient id), inserted once already saying Sending (or NothingToSay), then moved to Sent |
/// Failed | Unknown, or back to Pending when the provider could not take it, with ETag-conditional
/// writes, as <see cref="EmailDelivery"/> does: the row says Sending before the provider is called,
/// so a crash between the provider's acceptance and the record of it leaves Sending, which is read
/// as Unknown and never resent. A day with nothing to say is recorded as such, so that a later run
/// the same day does not send a "digest" at noon. Running the job twice on a day therefore sends
/// nothing the second time, and several hosts may run it at once. A run that leaves every recipient
/// settled marks the day finished: the write that settles the last recipient carries
/// <see cref="DayFinished"/>, or, when no write of the run could, the day's <see cref="FinishedRow"/>
/// is added. A later run that day finds the mark among the day's rows and stops there, without
/// reading the board. So a practitioner who first holds a case after that gets their first digest
/// the next day, as under the standalone host's loop, which remembers a finished day too.
/// </remarks>
public sealed partial class DigestJob
{
    public const string TableName = "Digests";

    /// <summary>The manager's recipient id (row key and message id part).</summary>
    public const string ManagerId = "manager";

    /// <summary>The row of a day some run finished (no recipient's id can take it: '~' is not allowed in one).</summary>
    public const string FinishedRow = "~finished";

    /// <summary>The property that marks a recipient's row as the write that left the day finished.</summary>
    public const string DayFinished = "DayFinished";

    private const int MaxRecipientIdLength = 64;
    private readonly GuardedTableClient _table;
    private readonly CaseBoard _board;
    private readonly IEmailSender _sender;
    private readonly NotificationOptions _notifications;
    private readonly DigestOptions _options;
    private readonly TimeZoneInfo _timeZone;
    private readonly TimeProvider _clock;
    private readonly ILogger<DigestJob> _logger;

    public DigestJob(
        TableProvider tables,
        CaseBoard board,
        IEmailSender sender,
        IOptions<NotificationOptions> notifications,
        IOptions<DigestOptions> options,
        TimeProvider clock,
        ILogger<DigestJob> logger)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(options);
        _table = tables.Get(TableName);
        _board = board ?? throw new ArgumentNullException(nameof(board));
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _notifications = notifications.Value;
        _options = options.Value;
        _timeZone = _options.FindTimeZone();
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The service's time zone, in which "today" is decided.</summary>
    public TimeZoneInfo TimeZone => _timeZone;

    /// <summary>Sends today's digests that have not been settled yet (by the injected clock).</summary>
    public Task<DigestRunReport> RunAsync(CancellationToken cancellationToken = default) => RunAsync(_clock.GetUtcNow(), cancellationToken);

    /// <summary>Sends the digests of the local date of <paramref name="now"/> that have not been settled yet.</summary>
    public async Task<DigestRunReport> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _timeZone).DateTime);

        // Today's rows in one query rather than a read per recipient, read before the board: a day
        // some run has finished (every recipient settled) is answered from its rows alone. The timer
        // comes back every 15 minutes of the sending window, and those runs would otherwise read
        // every open referral only to find nothing to do.
        var rows = await TodayAsync(date, cancellationToken).ConfigureAwait(false);
        if ((rows.GetValueOrDefault(FinishedRow) ?? rows.Values.FirstOrDefault(r => r.GetBoolean(DayFinished) == true)) is { } finished)
        {
            var report = new DigestRunReport(date, 0, 0, rows.Count - (rows.ContainsKey(FinishedRow) ? 1 : 0), finished.GetInt32("NoAddress") ?? 0, 0, 0, 0, 0);
            LogFinished(_logger, report.Date, report.AlreadyDone, report.NoAddress);
            return report;
        }

        var states = await ReadBoardAsync(now, cancellationToken).ConfigureAwait(false);
        var settings = new DigestSettings(_timeZone, new Uri(_notifications.BaseUrl, "staff")) { ReviewLookahead = _options.ReviewLookahead };
        var recipients = new List<(string Id, Recipient Recipient, string? Address)> { (ManagerId, Recipient.Manager, _notifications.ManagerEmail) };
        var holders = states.Where(s => s.Stage is Stage.Allocated or Stage.Active).Select(s => s.PractitionerId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var id in holders)
        {
            recipients.Add((id, new Recipient(Role.Practitioner, id), _notifications.StaffEmails.TryGetValue(id, out var address) ? address : null));
        }

        // The day's mark that it is finished rides on this run's last write, when that write settles the
        // last recipient whose outcome today's rows and the addresses do not already tell, and every
        // recipient before it is settled: one write fewer than a finished row of its own.
        var foreseen = recipients.Select(r => Foreseen(r.Id, r.Recipient, r.Address, rows.GetValueOrDefault(r.Id))).ToList();
        var lastToWrite = foreseen.FindLastIndex(o => o is null);
        DayMark? mark = null;
        var outcomes = new List<DigestOutcome>(recipients.Count);
        for (var i = 0; i < recipients.Count; i++)
        {
            var (id, recipient, address) = recipients[i];
            try
            {
                if (i == lastToWrite && DigestRunReport.Of(date, outcomes).Complete)
                {
                    mark = new DayMark(foreseen.Count(o => o == DigestOutcome.NoAddress));
                }

                outcomes.Add(await SendOnceAsync(date, id, rows.GetValueOrDefault(id), recipient, address, states, now, settings, i == lastToWrite ? mark : null, cancellationToken).ConfigureAwait(false));
            }
            catch (RequestFailedException ex)
            {
                // One recipient's storage failure does not keep the others' digests back; the row
                // discipline makes the retry (the next run) safe.
                LogDeferred(_logger, ex.GetType().Name);
                outcomes.Add(DigestOutcome.Deferred);
            }
        }

        var ran = DigestRunReport.Of(date, outcomes);
        LogRun(_logger, ran.Date, ran.Sent, ran.NothingToSay, ran.AlreadyDone, ran.NoAddress, ran.InProgress, ran.Deferred, ran.Failed, ran.Unknown);
        if (ran.Complete && mark?.Written != true)
        {
            // Written after every recipient's row is settled, so a run that finds it has nothing to do:
            // when no write of this run could carry the mark (every outcome was known from the start).
            await _table.UpsertEntityAsync(new TableEntity(PartitionOf(date), FinishedRow) { ["NoAddress"] = ran.NoAddress, ["UpdatedAt"] = _clock.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        return ran;
    }

    /// <summary>
    /// What a digest may know of the open referrals it can show, in one query of the attention view:
    /// every case at the stages before support begins, and the active cases that need attention within the review
    /// look-ahead (an active case shows in a digest only for a review due or overdue, or a missed
    /// first contact).
    /// </summary>
    private Task<List<DigestCase>> ReadBoardAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        // One tick past the look-ahead: a review due exactly at its end is listed, and the range's bound is exclusive.
        ListAsync(_board.NeedingAttentionBeforeAsync(now + _options.ReviewLookahead + TimeSpan.FromTicks(1), cancellationToken));

    private static async Task<List<DigestCase>> ListAsync(IAsyncEnumerable<DigestCase> cases)
    {
        var list = new List<DigestCase>();
        await foreach (var item in cases.ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>A recipient's outcome known before any write: no usable id or address, or a row today that is settled; null when this run must find out.</summary>
    private static DigestOutcome? Foreseen(string id, Recipient recipient, string? address, TableEntity? row) =>
        !IsUsableRecipient(id, recipient) || AddressOrNull(address) is null ? DigestOutcome.NoAddress
        : row is not null && IsSettled(StatusOf(row)) ? DigestOutcome.AlreadyDone
        : null;

    // row: the recipient's row for today as this run found it, or null when there was none.
    // mark: the day's finishing mark, for the write that settles this recipient to carry; null for none.
    private async Task<DigestOutcome> SendOnceAsync(
        DateOnly date, string id, TableEntity? row, Recipient recipient, string? address, IReadOnlyList<DigestCase> states, DateTimeOffset now, DigestSettings settings, DayMark? mark, CancellationToken cancellationToken)
    {
        if (!IsUsableRecipient(id, recipient))
        {
            LogUnusableId(_logger);
            return DigestOutcome.NoAddress;
        }

        var to = AddressOrNull(address);
        if (to is null)
        {
            return DigestOutcome.NoAddress;
        }

        var partition = PartitionOf(date);
        RenderedMessage? message = null;
        var inserted = false;
        if (row is null)
        {
            // The day's first word on this recipient: the row is inserted already saying Sending (or
            // NothingToSay), one write rather than Pending then Sending. A crash after it and before
            // the provider's answer leaves Sending, read as Unknown and never resent, as a crash after
            // a separate Sending write would: either way the write that claims the digest comes first.
            message = Digests.ComposeFromCases(recipient, states, now, settings);
            var first = message is null ? DigestStatus.NothingToSay : DigestStatus.Sending;
            row = new TableEntity(partition, id)
            {
                ["Status"] = first.ToString(),
                ["Attempts"] = message is null ? 0 : 1,
                ["UpdatedAt"] = _clock.GetUtcNow(),
            };
            var marked = mark?.StampIfSettles(first, row) ?? false;
            try
            {
                row.ETag = await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                inserted = true;
                mark?.Land(marked);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Another run wrote today's row first: its row decides.
                row = await _table.GetEntityIfExistsAsync(partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (row is null)
                {
                    return DigestOutcome.InProgress;
                }
            }
        }

        if (inserted)
        {
            if (message is null)
            {
                return DigestOutcome.NothingToSay;
            }
        }
        else
        {
            switch (StatusOf(row))
            {
                case DigestStatus.Pending:
                    break;
                case DigestStatus.Sending when _clock.GetUtcNow() - (row.GetDateTimeOffset("UpdatedAt") ?? default) < EmailDelivery.SendingGrace:
                    return DigestOutcome.InProgress;
                case DigestStatus.Sending:
                    // A run died between handing the digest over and recording the outcome.
                    return await SetAsync(row, DigestStatus.Unknown, "The process stopped while sending.", cancellationToken, mark).ConfigureAwait(false) is null
                        ? DigestOutcome.InProgress
                        : DigestOutcome.Unknown;
                default:
                    return DigestOutcome.AlreadyDone;
            }

            // Pending: left by a run whose send was deferred (the provider throttling or unreachable).
            // A run that lost the insert to another has composed it already.
            message ??= Digests.ComposeFromCases(recipient, states, now, settings);
            if (message is null)
            {
                return await SetAsync(row, DigestStatus.NothingToSay, null, cancellationToken, mark).ConfigureAwait(false) is null ? DigestOutcome.InProgress : DigestOutcome.NothingToSay;
            }

            row["Attempts"] = (row.GetInt32("Attempts") ?? 0) + 1;
            if (await SetAsync(row, DigestStatus.Sending, null, cancellationToken).ConfigureAwait(false) is null)
            {
                // Another run took it first.
                return DigestOutcome.InProgress;
            }
        }

        var email = new EmailMessage(
            MessageIdOf(id, date),
            new EmailAddress(_notifications.FromEmail, message.SenderName),
            to,
            message.Subject,
            message.PlainText,
            message.Html,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["kind"] = "digest" });
        SendResult result;
        try
        {
            result = await _sender.SendAsync(email, cancellationToken).ConfigureAwait(false);
        }
        catch (SendGridException ex)
        {
            // Certainly not queued (throttled past its retries, or unreachable): back to pending for the next run.
            await SetAsync(row, DigestStatus.Pending, null, cancellationToken).ConfigureAwait(false);
            LogDeferred(_logger, ex.GetType().Name);
            return DigestOutcome.Deferred;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = new SendResult.Unknown(ex.GetType().Name);
        }

        var (status, outcome, error) = result switch
        {
            SendResult.Accepted => (DigestStatus.Sent, DigestOutcome.Sent, (string?)null),
            SendResult.Rejected r => (DigestStatus.Failed, DigestOutcome.Failed, $"{r.Status}: {r.Error}"),
            SendResult.Unknown u => (DigestStatus.Unknown, DigestOutcome.Unknown, u.Reason),
            _ => (DigestStatus.Unknown, DigestOutcome.Unknown, "Unrecognised result."),
        };
        await SetAsync(row, status, error, cancellationToken, mark).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>The digest's message id: <c>digest|&lt;recipient id&gt;|&lt;yyyy-MM-dd&gt;</c>.</summary>
    public static string MessageIdOf(string recipientId, DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"digest|{recipientId}|{date:yyyy-MM-dd}");

    /// <summary>Each recipient's digest row of <paramref name="date"/>, by recipient id.</summary>
    private async Task<Dictionary<string, TableEntity>> TodayAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(date)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows[row.RowKey] = row;
        }

        return rows;
    }

    /// <summary>The partition of a local date's digest rows: <c>yyyy-MM-dd</c>.</summary>
    private static string PartitionOf(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes a new status if nobody changed the row meanwhile; null when they did. A status that
    /// settles the recipient carries the day's <paramref name="mark"/>, if given.
    /// </summary>
    private async Task<DigestStatus?> SetAsync(TableEntity row, DigestStatus status, string? error, CancellationToken cancellationToken, DayMark? mark = null)
    {
        row["Status"] = status.ToString();
        row["Error"] = error;
        row["UpdatedAt"] = _clock.GetUtcNow();
        var marked = mark?.StampIfSettles(status, row) ?? false;
        if (!await _table.TryReplaceUnchangedAsync(row, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        mark?.Land(marked);
        return status;
    }

    private static DigestStatus StatusOf(TableEntity row) =>
        Enum.TryParse<DigestStatus>(row.GetString("Status"), out var s) ? s : DigestStatus.Pending;

    /// <summary>Settled: never sent again that day, whatever later runs find.</summary>
    private static bool IsSettled(DigestStatus status) => status is DigestStatus.Sent or DigestStatus.Failed or DigestStatus.Unknown or DigestStatus.NothingToSay;

    /// <summary>The manager's digest goes under the manager's id, and a practitioner's under a usable staff id that is not the manager's.</summary>
    private static bool IsUsableRecipient(string id, Recipient recipient) =>
        IsUsableId(id) && (recipient.Role == Role.Manager || id != ManagerId);

    /// <summary>A recipient id is a row key and part of a message id: a staff id of letters, digits, '-', '_' or '.'.</summary>
    private static bool IsUsableId(string id) =>
        id.Length is > 0 and <= MaxRecipientIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// The day's mark that a run left every recipient settled (<see cref="DayFinished"/>, with how many
    /// had no address, for the later runs' report), carried by the write that settles the last of them.
    /// </summary>
    private sealed class DayMark(int noAddress)
    {
        /// <summary>True once a write carrying the mark has landed.</summary>
        public bool Written { get; private set; }

        /// <summary>Puts the mark on a row about to be written if <paramref name="status"/> settles its recipient; true when it did.</summary>
        public bool StampIfSettles(DigestStatus status, TableEntity row)
        {
            if (!IsSettled(status))
            {
                return false;
            }

            row[DayFinished] = true;
            row["NoAddress"] = noAddress;
            return true;
        }

        /// <summary>Records that a write landed, and whether it carried the mark.</summary>
        public void Land(bool marked) => Written |= marked;
    }

    private static EmailAddress? AddressOrNull(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        try
        {
            return new EmailAddress(address.Trim());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digests for {Date}: {Sent} sent, {NothingToSay} with nothing to say, {AlreadyDone} already done, {NoAddress} without an address, {InProgress} in progress, {Deferred} deferred, {Failed} failed, {Unknown} unknown")]
    private static partial void LogRun(ILogger logger, DateOnly date, int sent, int nothingToSay, int alreadyDone, int noAddress, int inProgress, int deferred, int failed, int unknown);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digests for {Date}: finished by an earlier run ({AlreadyDone} settled, {NoAddress} without an address)")]
    private static partial void LogFinished(ILogger logger, DateOnly date, int alreadyDone, int noAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A digest was not sent ({Error}); the next run tries again")]
    private static partial void LogDeferred(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A practitioner id cannot name a digest (not a staff id of letters, digits, '-', '_' or '.', or the manager's id); that practitioner gets no digest")]
    private static partial void LogUnusableId(ILogger logger);
}
