using System.Net.Http.Json;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Referrals;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Notifications;

/// <summary>
/// Found by the fault run: a sender killed between marking an email Sending and recording the
/// outcome leaves the row Sending; the dispatcher's redelivery within the grace period answers
/// Sending and the outbox item is then gone, so nothing ever turns the row into Unknown. The
/// manager's view must still show it once the grace period has passed.
/// </summary>
public sealed class StrandedEmailTests : IDisposable
{
    private readonly HandInHandFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task AnEmailLeftSendingByADeadSenderShowsAsUnknownToTheManagerAfterTheGracePeriod()
    {
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(Submissions.Valid()) };
        submit.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var reference = (await (await factory.CreateClient().SendAsync(submit)).Content.ReadFromJsonAsync<HandInHand.Host.Referrals.ReferralReceipt>())!.Reference;
        var messageId = $"{reference}|stranded|000";
        var table = factory.Services.GetRequiredService<HandInHand.Infrastructure.Storage.TableProvider>().Get(EmailDelivery.TableName);
        await table.AddEntityAsync(new TableEntity(reference, $"{reference}-stranded-000")
        {
            ["MessageId"] = messageId,
            ["Kind"] = nameof(NotificationKind.ReferralAccepted),
            ["RecipientRole"] = "Referrer",
            ["Status"] = "Sending",
            ["Attempts"] = 1,
            ["UpdatedAt"] = factory.Clock.GetUtcNow(),
        });
        var delivery = factory.Services.GetRequiredService<EmailDelivery>();
        // The dispatcher's redelivery inside the grace period: it answers Sending, and the outbox item is deleted after it.
        Assert.Equal(DeliveryStatus.Sending, await delivery.DeliverAsync(new DeliveredNotification(messageId, reference, NotificationKind.ReferralAccepted, Role.Referrer, null, factory.Clock.GetUtcNow())));

        factory.Clock.Advance(EmailDelivery.SendingGrace + TimeSpan.FromMinutes(1));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/staff/emails");
        request.Headers.Add("X-Actor-Id", "manager-1");
        request.Headers.Add("X-Actor-Role", "manager");
        var listed = await (await factory.CreateClient().SendAsync(request)).Content.ReadFromJsonAsync<List<DeliveryRecord>>(
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } });

        Assert.Contains(listed!, r => r.MessageId == messageId && r.Status == DeliveryStatus.Unknown);
        Assert.Contains(await delivery.ListAsync(DeliveryStatus.Unknown), r => r.MessageId == messageId);
        Assert.DoesNotContain(await delivery.ListAsync(DeliveryStatus.Sending), r => r.MessageId == messageId);
    }
}
