using System.Text.Json.Nodes;
using Azure.Data.Tables;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

    /// <summary>
    /// The task hub holds every command the orchestrations were sent and every state they carried:
    /// its tables must show none of it. The control run, with the framework's plain JSON converter
    /// in place of ours, finds the marker there, so the scan does see the payloads.
    /// </summary>
    [Fact]
    public async Task NoMarkerFromTheFormOrTheCaseWorkIsReadableInTheTaskHub()
    {
        Assert.Empty(await TaskHubValuesWithMarkerAsync(factory));

        await using var plain = new PlainPayloadsFactory();
        Assert.NotEmpty(await TaskHubValuesWithMarkerAsync(plain));
    }

    private static async Task<List<string>> TaskHubValuesWithMarkerAsync(HandInHandFactory host)
    {
        var hh = new LifecycleDriver(host);
        var form = hh.Form().With("concernDetails", JsonValue.Create(Marker + " concern"));
        var reference = await hh.SubmitAsync(form);
        await hh.CommandAsync(reference, "decline", StaffActor.Manager, new JsonObject { ["reason"] = Marker + " declined because", ["category"] = "criteria" });

        var service = host.Services.GetRequiredService<TableProvider>().Service;
        var hub = "hub" + host.TablePrefix;
        var rows = 0;
        var found = new List<string>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(hub) >= 0 && t.Name.CompareTo(hub + "~") < 0))
        {
            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                rows++;
                found.AddRange(row.Select(p => p.Value?.ToString() ?? string.Empty).Where(v => v.Contains(Marker, StringComparison.OrdinalIgnoreCase)));
            }
        }

        Assert.True(rows > 10, $"the task hub's tables hold {rows} rows");
        return found;
    }

    /// <summary>The app with payloads in plain workflow JSON: what the task hub would hold without our converter.</summary>
    private sealed class PlainPayloadsFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<DataConverter>(new Microsoft.DurableTask.Converters.JsonDataConverter(HandInHand.Infrastructure.Workflow.WorkflowJson.Options))));
        }
    }
}
