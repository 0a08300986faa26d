using System.Text.Json.Nodes;
using Azure.Data.Tables;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Privacy;

/// <summary>What describes a young person or their concerns is unreadable in the tables without the data-encryption key.</summary>
public sealed class EncryptionAtRestTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private const string Marker = "Zqxrest";

    [Fact]
    public async Task NoMarkerFromTheFormOrTheCaseWorkIsReadableInTheReferralsTable()
    {
        var hh = new LifecycleDriver(factory);
        var form = hh.Form()
            .With("youngPerson.firstName", JsonValue.Create(Marker + "first"))
            .With("concernDetails", JsonValue.Create(Marker + " concern"));
        var reference = await hh.SubmitAsync(form);
        await hh.CommandAsync(reference, "request-information", StaffActor.Manager);
        await hh.CommandAsync(reference, "receive-information", StaffActor.Manager);
        await hh.CommandAsync(reference, "decline", StaffActor.Manager, new JsonObject { ["reason"] = Marker + " declined because", ["category"] = "criteria" });

        var table = factory.Services.GetRequiredService<TableProvider>().Get(ReferralTables.Referrals);
        var values = new List<string>();
        await foreach (var row in table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {reference}")))
        {
            values.AddRange(row.Select(p => p.Value?.ToString() ?? string.Empty));
        }

        Assert.True(values.Count > 20);
        Assert.DoesNotContain(values, v => v.Contains(Marker, StringComparison.OrdinalIgnoreCase));
        var timeline = await hh.TimelineAsync(reference, StaffActor.Manager);
        Assert.Contains(timeline, s => s.Type == "Declined");
    }
}
