using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;
using HandInHand.Infrastructure.Email;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Surveys;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Notifications;

/// <summary>Where one email stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Recorded, not yet handed to the provider.</summary>
    Pending,
    /// <summary>Being handed over now; found in this state later, the outcome is unknown.</summary>
    Sending,
    /// <summary>The provider accepted it.</summary>
    Sent,
    /// <summary>The provider refused it for good (dead letter); the manager may retry.</summary>
    Failed,
    /// <summary>It may or may not have gone: never resent without a person deciding to.</summary>
    Unknown,
    /// <summary>The recipient has no address to send to.</summary>
    NoChannel,
}

/// <summary>One email's delivery record: no address and no content, only what and where it stands.</summary>
/// <param name="SentAs">
/// The opaque id a message to a young person went out under (its Message-ID and the provider's
/// <c>hih_message_id</c>), so that it can be looked up at the provider; null for other messages,
/// which go out under <paramref name="MessageId"/>.
/// </param>
public sealed record DeliveryRecord(string MessageId, string Reference, NotificationKind Kind, Role RecipientRole, string? RecipientId, DeliveryStatus Status, int Attempts, string? Error, DateTimeOffset UpdatedAt, string? SentAs = null);

/// <summary>
/// Sends each notification as an email at most once. A delivery row per message id moves
/// Pending → Sending → Sent | Failed | Unknown with ETag-conditional writes: the row says
/// Sending before the provider is called, so a crash between the provider's acceptance and the
/// record of it leaves Sending, which is read as Unknown and never resent on its own. Our message
/// id travels to SendGrid in <c>custom_args</c>, where an unknown delivery can be looked up; a
/// message to a young person travels under an opaque id of its own, kept in the row (<c>SentAs</c>),
/// because our ids begin with the reference.
/// </summary>
public sealed class EmailDelivery : INotificationChannel
{
    public const string TableName = "EmailDeliveries";

    /// <summary>Longer than any send takes with its retries: a row still Sending after this was left by a process that died.</summary>
    public static readonly TimeSpan SendingGrace = TimeSpan.FromMinutes(5);
    private readonly GuardedTableClient _table;
    private readonly IEmailSender _sender;
    private readonly ReferralStore _referrals;
    private readonly ContactChannels _channels;
    private readonly SurveyTokens _surveys;
    private readonly NotificationOptions _options;
    private readonly TimeSpan _surveyLinkLifetime;
    private readonly TimeProvider _clock;

    public EmailDelivery(
        TableProvider tables,
        IEmailSender sender,
        ReferralStore referrals,
        ContactChannels channels,
        SurveyTokens surveys,
        IOptions<NotificationOptions> options,
        IOptions<LifecycleSettings> lifecycle,
        TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifecycle);
        _table = tables.Get(TableName);
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _referrals = referrals ?? throw new ArgumentNullException(nameof(referrals));
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _surveys = surveys ?? throw new ArgumentNullException(nameof(surveys));
        _options = options.Value;
        _surveyLinkLifetime = lifecycle.Value.SurveyExpiresAfter;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>Delivers a notification unless it was delivered (or attempted with an unknown outcome) before.</summary>
    public async Task<DeliveryStatus> DeliverAsync(DeliveredNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var rowKey = RowKeyOf(notification.MessageId);
        var row = await _table.GetEntityIfExistsAsync(notification.Reference, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new TableEntity(notification.Reference, rowKey)
            {
                ["MessageId"] = notification.MessageId,
                ["Kind"] = notification.Kind.ToString(),
                ["RecipientRole"] = notification.RecipientRole.ToString(),
                ["RecipientId"] = notification.RecipientId,
                ["Status"] = nameof(DeliveryStatus.Pending),
                ["Attempts"] = 0,
                ["UpdatedAt"] = _clock.GetUtcNow(),
            };
            try
            {
                row.ETag = await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                return await StatusAsync(notification.Reference, rowKey, cancellationToken).ConfigureAwait(false);
            }
        }

        return await SendPendingAsync(row, notification, cancellationToken).ConfigureAwait(false);
    }

    async Task INotificationChannel.DeliverAsync(DeliveredNotification notification, CancellationToken cancellationToken) =>
        await DeliverAsync(notification, cancellationToken).ConfigureAwait(false);

    /// <summary>The manager's retry of a failed email, or of an unknown one when they have decided it did not arrive.</summary>
    public async Task<DeliveryStatus> RetryAsync(string reference, string messageId, bool includingUnknown, CancellationToken cancellationToken = default)
    {
        var rowKey = RowKeyOf(messageId);
        var row = await _table.GetEntityIfExistsAsync(reference, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("There is no such email.");
        var status = StatusOf(row);
        if (status is not (DeliveryStatus.Failed or DeliveryStatus.NoChannel) && !(includingUnknown && status is DeliveryStatus.Unknown or DeliveryStatus.Sending))
        {
            return status;
        }

        row["Status"] = nameof(DeliveryStatus.Pending);
        try
        {
            row.ETag = await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return await StatusAsync(reference, rowKey, cancellationToken).ConfigureAwait(false);
        }

        var notification = new DeliveredNotification(
            row.GetString("MessageId")!, reference, Enum.Parse<NotificationKind>(row.GetString("Kind")!), Enum.Parse<Role>(row.GetString("RecipientRole")!), row.GetString("RecipientId"), _clock.GetUtcNow());
        return await SendPendingAsync(row, notification, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Delivery records, optionally only those with <paramref name="status"/> (the manager's dead-letter view).
    /// A row still Sending after <see cref="SendingGrace"/> is listed as Unknown: its sender died
    /// mid-send, and nothing else will ever settle it (the outbox item that led to it is gone).
    /// </summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(DeliveryStatus? status = null, CancellationToken cancellationToken = default)
    {
        var filter = status switch
        {
            null => null,
            DeliveryStatus.Unknown => TableClient.CreateQueryFilter($"Status eq {nameof(DeliveryStatus.Unknown)} or Status eq {nameof(DeliveryStatus.Sending)}"),
            _ => TableClient.CreateQueryFilter($"Status eq {status.Value.ToString()}"),
        };
        var now = _clock.GetUtcNow();
        var list = new List<DeliveryRecord>();
        await foreach (var row in _table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var updatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default;
            var rowStatus = StatusOf(row) is DeliveryStatus.Sending && now - updatedAt >= SendingGrace ? DeliveryStatus.Unknown : StatusOf(row);
            if (status is not null && rowStatus != status)
            {
                continue;
            }

            list.Add(new DeliveryRecord(
                row.GetString("MessageId")!, row.PartitionKey, Enum.Parse<NotificationKind>(row.GetString("Kind")!), Enum.Parse<Role>(row.GetString("RecipientRole")!),
                row.GetString("RecipientId"), rowStatus, row.GetInt32("Attempts") ?? 0, row.GetString("Error"), updatedAt, row.GetString("SentAs")));
        }

        return list;
    }

    private async Task<DeliveryStatus> SendPendingAsync(TableEntity row, DeliveredNotification notification, CancellationToken cancellationToken)
    {
        switch (StatusOf(row))
        {
            case DeliveryStatus.Pending:
                break;
            case DeliveryStatus.Sending when _clock.GetUtcNow() - (row.GetDateTimeOffset("UpdatedAt") ?? default) < SendingGrace:
                // Another sender is handing it over right now.
                return DeliveryStatus.Sending;
            case DeliveryStatus.Sending:
                // A sender died between handing the email over and recording the outcome.
                return await SetAsync(row, DeliveryStatus.Unknown, "The process stopped while sending.", cancellationToken).ConfigureAwait(false) ?? DeliveryStatus.Unknown;
            case var settled:
                return settled;
        }

        var to = await AddressOfAsync(notification, cancellationToken).ConfigureAwait(false);
        if (to is null)
        {
            return await SetAsync(row, DeliveryStatus.NoChannel, null, cancellationToken).ConfigureAwait(false) ?? DeliveryStatus.NoChannel;
        }

        row["Attempts"] = (row.GetInt32("Attempts") ?? 0) + 1;
        if (MessageTemplates.IsForYoungPeople(notification.Kind) && row.GetString("SentAs") is null)
        {
            // Chosen once and written with the Sending status, so every attempt goes out under the same id.
            row["SentAs"] = Guid.NewGuid().ToString("N");
        }

        if (await SetAsync(row, DeliveryStatus.Sending, null, cancellationToken).ConfigureAwait(false) is null)
        {
            // Another sender took this email first.
            return await StatusAsync(notification.Reference, row.RowKey, cancellationToken).ConfigureAwait(false);
        }

        var message = await ComposeAsync(notification, row.GetString("SentAs"), to, cancellationToken).ConfigureAwait(false);
        SendResult result;
        try
        {
            result = await _sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (SendGridException)
        {
            // Certainly not queued (throttled past its retries, or unreachable): back to pending,
            // and the failure leaves the outbox item in place for the dispatcher to try again.
            await SetAsync(row, DeliveryStatus.Pending, null, cancellationToken).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = new SendResult.Unknown(ex.GetType().Name);
        }

        var (status, error) = result switch
        {
            SendResult.Accepted => (DeliveryStatus.Sent, (string?)null),
            SendResult.Rejected r => (DeliveryStatus.Failed, $"{r.Status}: {r.Error}"),
            SendResult.Unknown u => (DeliveryStatus.Unknown, u.Reason),
            _ => (DeliveryStatus.Unknown, "Unrecognised result."),
        };
        return await SetAsync(row, status, error, cancellationToken).ConfigureAwait(false) ?? status;
    }

    private async Task<EmailMessage> ComposeAsync(DeliveredNotification notification, string? sentAs, EmailAddress to, CancellationToken cancellationToken)
    {
        var link = await LinkOfAsync(notification, cancellationToken).ConfigureAwait(false);
        var rendered = MessageTemplates.Render(notification.Kind, new TemplateModel(notification.Reference, link));

        // What a message to a young person carries is decided here, not by the sender: the young
        // person's own sender, and an id that names no referral wherever the id travels.
        var (messageId, from) = rendered.ToYoungPerson
            ? (sentAs ?? throw new InvalidOperationException("A message to a young person has no opaque id."), new EmailAddress(_options.YoungPersonFromEmail, _options.YoungPersonSenderName))
            : (notification.MessageId, new EmailAddress(_options.FromEmail, rendered.SenderName));
        return new EmailMessage(
            messageId,
            from,
            to,
            rendered.Subject,
            rendered.PlainText,
            rendered.Html,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["kind"] = notification.Kind.ToString() });
    }

    /// <summary>
    /// A sign-in link; for a survey or feedback request, a new single-use link of its own (only its
    /// hash is kept, so a resent email carries a new link; the referral still takes one set of answers).
    /// </summary>
    private async Task<Uri> LinkOfAsync(DeliveredNotification notification, CancellationToken cancellationToken)
    {
        var (audience, path) = notification.Kind switch
        {
            NotificationKind.SurveyInvitation or NotificationKind.SurveyReminder => (SurveyAudience.YoungPerson, "survey/"),
            NotificationKind.PartnerFeedbackRequest => (SurveyAudience.Partner, "feedback/"),
            // Staff land on the case the message is about (the reference is not personal data);
            // the referrer, who has no account, on the status page.
            _ => ((SurveyAudience?)null, notification.RecipientRole == Role.Referrer ? "referrals/status" : "staff/cases/" + Uri.EscapeDataString(notification.Reference)),
        };
        if (audience is null)
        {
            return new Uri(_options.BaseUrl, path);
        }

        var now = _clock.GetUtcNow();
        var token = await _surveys.IssueAsync(notification.Reference, audience.Value, now, now + _surveyLinkLifetime, cancellationToken).ConfigureAwait(false);
        return new Uri(_options.BaseUrl, path + token);
    }

    private async Task<EmailAddress?> AddressOfAsync(DeliveredNotification notification, CancellationToken cancellationToken)
    {
        switch (notification.RecipientRole)
        {
            case Role.Referrer:
                var referral = await _referrals.GetAsync(notification.Reference, cancellationToken).ConfigureAwait(false);
                return referral?.Form.Referrer.Email is { } email ? new EmailAddress(email) : null;
            case Role.Manager:
                return _options.ManagerEmail is { } manager ? new EmailAddress(manager) : null;
            case Role.Practitioner or Role.Panel when notification.RecipientId is not null && _options.StaffEmails.TryGetValue(notification.RecipientId, out var staff):
                return new EmailAddress(staff);
            case Role.YoungPerson when MessageTemplates.IsForYoungPeople(notification.Kind):
                // Young people are written to only through a channel marked safe, and only about their survey.
                var channel = await _channels.GetAsync(notification.Reference, cancellationToken).ConfigureAwait(false);
                return channel is { Channel: ContactChannel.Email, MarkedSafe: true } ? new EmailAddress(channel.Address) : null;
            default:
                return null;
        }
    }

    /// <summary>Writes a new status if nobody changed the row meanwhile; null when they did.</summary>
    private async Task<DeliveryStatus?> SetAsync(TableEntity row, DeliveryStatus status, string? error, CancellationToken cancellationToken)
    {
        row["Status"] = status.ToString();
        row["Error"] = error;
        row["UpdatedAt"] = _clock.GetUtcNow();
        return await _table.TryReplaceUnchangedAsync(row, cancellationToken).ConfigureAwait(false) ? status : null;
    }

    private async Task<DeliveryStatus> StatusAsync(string reference, string rowKey, CancellationToken cancellationToken) =>
        StatusOf(await _table.GetEntityIfExistsAsync(reference, rowKey, ["Status"], cancellationToken).ConfigureAwait(false));

    private static DeliveryStatus StatusOf(TableEntity? row) =>
        Enum.TryParse<DeliveryStatus>(row?.GetString("Status"), out var s) ? s : DeliveryStatus.Pending;

    private static string RowKeyOf(string messageId) => messageId.Replace('|', '-');
}
