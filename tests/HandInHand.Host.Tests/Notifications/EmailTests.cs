using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;
using HandInHand.Host.Referrals;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Workflow;
using HandInHand.Testing.Email;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Notifications;

/// <summary>Email as the app sends it, read back from the development mailbox.</summary>
public sealed class EmailTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private const string Marker = "Zqxmark";

    /// <summary>Submits a referral and waits until its acknowledgement has been handed to the email channel (the referral's first step does it, just after intake answers).</summary>
    private async Task<string> SubmitAsync(JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(body) };
        request.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var reference = (await (await factory.CreateClient().SendAsync(request)).Content.ReadFromJsonAsync<ReferralReceipt>())!.Reference;
        var delivery = factory.Services.GetRequiredService<EmailDelivery>();
        try
        {
            await LifecycleDriver.EventuallyAsync(
                async () => (await delivery.ListAsync()).Any(d => d.Reference == reference && d.Kind == NotificationKind.ReferralAcknowledged && d.Status is DeliveryStatus.Sent or DeliveryStatus.NoChannel),
                $"the acknowledgement of {reference} handed over",
                TimeSpan.FromSeconds(60));
        }
        catch (Xunit.Sdk.XunitException missed)
        {
            // Once seen in CI and not since: say what the orchestration was doing.
            throw new Xunit.Sdk.XunitException(missed.Message + Environment.NewLine + await factory.DescribeOrchestrationAsync(reference));
        }

        return reference;
    }

    /// <summary>A referral whose every free field holds the marker.</summary>
    private static JsonObject MarkedReferral() => Submissions.Valid(firstName: Marker + "first", lastName: Marker + "last")
        .With("youngPerson.schoolOrSetting", JsonValue.Create(Marker + " school"))
        .With("youngPerson.safeContact", JsonValue.Create(Marker + " contact"))
        .With("youngPerson.phone", JsonValue.Create("07700 900999"))
        .With("concernDetails", JsonValue.Create(Marker + " concern"))
        .With("additionalNeeds", JsonValue.Create(Marker + " needs"))
        .With("otherAgencies", JsonValue.Create(Marker + " agencies"))
        .With("referrer.name", JsonValue.Create(Marker + " referrer"))
        .With("referrer.organisation", JsonValue.Create(Marker + " organisation"))
        .With("referrer.email", JsonValue.Create("zqxmark.referrer@example.org"));

    [Fact]
    public async Task SubmittingAReferralPutsTheAcknowledgementInTheDevelopmentMailbox()
    {
        var reference = await SubmitAsync(Submissions.Valid());

        var mailbox = new DevelopmentMailbox(factory.MailboxPath);
        var email = Assert.Single(mailbox.List(), e => e.MessageId.StartsWith(reference, StringComparison.Ordinal));
        var text = mailbox.Read(email.MessageId)!;
        Assert.Contains($"Referral {reference} received", text, StringComparison.Ordinal);
        Assert.Contains("sam.worker@example.org", text, StringComparison.Ordinal);
        var deliveries = await factory.Services.GetRequiredService<EmailDelivery>().ListAsync(DeliveryStatus.Sent);
        Assert.Contains(deliveries, d => d.Reference == reference && d.Kind == NotificationKind.ReferralAcknowledged);
    }

    /// <summary>What gives the service away in a message to a young person: its name, its purpose, its sender.</summary>
    private static readonly string[] ServiceWords = ["HandInHand", "Hand in Hand", "hand-in-hand", "referral", "exploit", "referrals@"];

    [Fact]
    public async Task NoEmailOfAnyKindCarriesAnyDetailOfTheReferral()
    {
        var reference = await SubmitAsync(MarkedReferral());
        var records = await DeliverEveryKindToEveryoneAsync(factory, reference);

        var mailbox = new DevelopmentMailbox(factory.MailboxPath);
        var sent = records.Where(r => r.Status == DeliveryStatus.Sent).ToList();
        Assert.True(sent.Count >= Enum.GetValues<NotificationKind>().Length * 3 + 2, $"only {sent.Count} emails were sent");
        Assert.Contains(sent, r => r.RecipientRole == Role.YoungPerson);
        foreach (var record in sent)
        {
            // The whole message, headers included, as the recipient's mail program has it.
            var text = mailbox.Read(record.SentAs ?? record.MessageId);
            Assert.NotNull(text);
            var withoutRecipient = string.Join("\n", text.Split('\n').Where(l => !l.StartsWith("To:", StringComparison.OrdinalIgnoreCase)));
            Assert.DoesNotContain(Marker, withoutRecipient, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("2011-05-14", withoutRecipient, StringComparison.Ordinal);
            Assert.DoesNotContain("900999", withoutRecipient, StringComparison.Ordinal);
            if (MessageTemplates.IsForYoungPeople(record.Kind))
            {
                AssertNamesNeitherTheReferralNorTheService(reference, withoutRecipient);
                Assert.Contains("From: \"Appointments\" <appointments@", withoutRecipient, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(reference, withoutRecipient, StringComparison.Ordinal);
            }
        }

        // Nothing but a survey email ever goes to a young person.
        Assert.All(records.Where(r => r.RecipientRole == Role.YoungPerson && !MessageTemplates.IsForYoungPeople(r.Kind)), r => Assert.Equal(DeliveryStatus.NoChannel, r.Status));
    }

    [Fact]
    public async Task NoSendGridRequestForAYoungPersonCarriesTheReferenceOrNamesTheService()
    {
        await using var peer = await SendGridPeer.StartAsync();
        await using var viaSendGrid = factory.Sibling(b =>
        {
            b.UseSetting("Notifications:DevelopmentMailboxPath", string.Empty);
            b.UseSetting("SendGrid:ApiKey", SendGridPeer.ApiKey);
            b.UseSetting("SendGrid:Endpoint", peer.Address.AbsoluteUri);
        });
        var reference = await SubmitAsync(MarkedReferral());
        var records = await DeliverEveryKindToEveryoneAsync(viaSendGrid, reference);

        var toYoungPeople = records.Where(r => r.Status == DeliveryStatus.Sent && r.RecipientRole == Role.YoungPerson).ToList();
        Assert.Equal(2, toYoungPeople.Count);
        foreach (var record in toYoungPeople)
        {
            // Every field of the request: what reaches the recipient and what stays with the provider alike.
            var body = Assert.Single(peer.Bodies, b => b.Contains(record.SentAs!, StringComparison.Ordinal));
            var withoutRecipient = body.Replace("zqxmark.young@example.org", string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(Marker, withoutRecipient, StringComparison.OrdinalIgnoreCase);
            AssertNamesNeitherTheReferralNorTheService(reference, withoutRecipient);
        }
    }

    private static void AssertNamesNeitherTheReferralNorTheService(string reference, string message)
    {
        Assert.DoesNotContain(reference, message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(reference.Replace("-", string.Empty, StringComparison.Ordinal), message, StringComparison.OrdinalIgnoreCase);
        foreach (var word in ServiceWords)
        {
            Assert.DoesNotContain(word, message, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Every kind of notification to every kind of recipient, through the host's own delivery; the delivery records of the referral.</summary>
    private static async Task<List<DeliveryRecord>> DeliverEveryKindToEveryoneAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, string reference)
    {
        await host.Services.GetRequiredService<ContactChannels>().SetAsync(reference, new ContactChannelRecord(ContactChannel.Email, "zqxmark.young@example.org", MarkedSafe: true));
        var channel = host.Services.GetRequiredService<INotificationChannel>();
        var clock = host.Services.GetRequiredService<TimeProvider>();
        var n = 0;
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            foreach (var recipient in new[] { Role.Referrer, Role.Manager, Role.Practitioner, Role.YoungPerson })
            {
                await channel.DeliverAsync(new DeliveredNotification($"{reference}|test|{n++:D3}", reference, kind, recipient, "practitioner-selby", clock.GetUtcNow()));
            }
        }

        return [.. (await host.Services.GetRequiredService<EmailDelivery>().ListAsync()).Where(r => r.Reference == reference)];
    }

    [Fact]
    public async Task TheSameNotificationDeliveredTwiceIsSentOnce()
    {
        var reference = await SubmitAsync(Submissions.Valid());
        var channel = factory.Services.GetRequiredService<EmailDelivery>();
        var notification = new DeliveredNotification($"{reference}|again|000", reference, NotificationKind.ReferralAccepted, Role.Referrer, null, factory.Clock.GetUtcNow());

        Assert.Equal(DeliveryStatus.Sent, await channel.DeliverAsync(notification));
        Directory.Delete(factory.MailboxPath, recursive: true);
        Directory.CreateDirectory(factory.MailboxPath);
        Assert.Equal(DeliveryStatus.Sent, await channel.DeliverAsync(notification));

        Assert.Empty(new DevelopmentMailbox(factory.MailboxPath).List());
    }

    [Fact]
    public async Task AProcessKilledBetweenSendingAndRecordingLeavesAnUnknownThatIsNeverResentOnItsOwn()
    {
        var reference = await SubmitAsync(Submissions.Valid());
        var delivery = factory.Services.GetRequiredService<EmailDelivery>();
        var notification = new DeliveredNotification($"{reference}|crash|000", reference, NotificationKind.ReferralAccepted, Role.Referrer, null, factory.Clock.GetUtcNow());

        // What a kill between the provider's acceptance and the record of it leaves behind: a row still saying Sending.
        var table = factory.Services.GetRequiredService<HandInHand.Infrastructure.Storage.TableProvider>().Get(EmailDelivery.TableName);
        await table.AddEntityAsync(new TableEntity(reference, $"{reference}-crash-000")
        {
            ["MessageId"] = notification.MessageId,
            ["Kind"] = notification.Kind.ToString(),
            ["RecipientRole"] = "Referrer",
            ["Status"] = "Sending",
            ["Attempts"] = 1,
            ["UpdatedAt"] = factory.Clock.GetUtcNow(),
        });

        Assert.Equal(DeliveryStatus.Sending, await delivery.DeliverAsync(notification));
        factory.Clock.Advance(EmailDelivery.SendingGrace + TimeSpan.FromMinutes(1));
        Assert.Equal(DeliveryStatus.Unknown, await delivery.DeliverAsync(notification));
        Assert.Equal(DeliveryStatus.Unknown, await delivery.DeliverAsync(notification));

        Assert.DoesNotContain(new DevelopmentMailbox(factory.MailboxPath).List(), e => e.MessageId == notification.MessageId);
        Assert.Contains(await delivery.ListAsync(DeliveryStatus.Unknown), d => d.MessageId == notification.MessageId);
    }

    [Fact]
    public async Task TheManagerSeesAnUnknownEmailAndResendsItOnlyWhenSheDecidesTo()
    {
        var reference = await SubmitAsync(Submissions.Valid());
        var messageId = $"{reference}|unknown|000";
        var table = factory.Services.GetRequiredService<HandInHand.Infrastructure.Storage.TableProvider>().Get(EmailDelivery.TableName);
        await table.AddEntityAsync(new TableEntity(reference, $"{reference}-unknown-000")
        {
            ["MessageId"] = messageId,
            ["Kind"] = nameof(NotificationKind.ReferralAccepted),
            ["RecipientRole"] = "Referrer",
            ["Status"] = "Unknown",
            ["Attempts"] = 1,
            ["UpdatedAt"] = factory.Clock.GetUtcNow(),
        });
        var client = factory.CreateClient();
        HttpRequestMessage AsManager(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-Actor-Id", "manager-1");
            request.Headers.Add("X-Actor-Role", "manager");
            return request;
        }

        var listed = await (await client.SendAsync(AsManager(HttpMethod.Get, "/api/staff/emails"))).Content.ReadFromJsonAsync<List<DeliveryRecord>>(JsonOptions);
        Assert.Contains(listed!, r => r.MessageId == messageId && r.Status == DeliveryStatus.Unknown);

        var path = $"/api/staff/emails/{reference}/{Uri.EscapeDataString(messageId)}/retry";
        var untouched = await (await client.SendAsync(AsManager(HttpMethod.Post, path))).Content.ReadFromJsonAsync<RetryOutcome>();
        Assert.Equal("Unknown", untouched!.Status);
        Assert.DoesNotContain(new DevelopmentMailbox(factory.MailboxPath).List(), e => e.MessageId == messageId);

        var resent = await (await client.SendAsync(AsManager(HttpMethod.Post, path + "?includingUnknown=true"))).Content.ReadFromJsonAsync<RetryOutcome>();
        Assert.Equal("Sent", resent!.Status);
        Assert.Contains(new DevelopmentMailbox(factory.MailboxPath).List(), e => e.MessageId == messageId);
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    [Fact]
    public async Task TheDevelopmentMailboxPageListsTheEmails()
    {
        var reference = await SubmitAsync(Submissions.Valid());

        var page = await factory.CreateClient().GetStringAsync("/dev/mailbox");

        Assert.Contains($"Referral {reference} received", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReferrerWithoutAnEmailAddressIsRecordedAsHavingNoChannel()
    {
        var reference = await SubmitAsync(Submissions.Valid().With("referrer.email", null));

        var deliveries = await factory.Services.GetRequiredService<EmailDelivery>().ListAsync(DeliveryStatus.NoChannel);

        Assert.Contains(deliveries, d => d.Reference == reference && d.Kind == NotificationKind.ReferralAcknowledged);
    }
}
