using System.Security.Cryptography;
using Azure.Data.Tables;
using HandInHand.Host.Setup;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// Several instances share one data-protection key ring through storage, as Flex Consumption's
/// instances must: what one protects (a session cookie, a form's antiforgery token) another reads.
/// </summary>
public sealed class SharedDataProtectionTests
{
    [Fact]
    public async Task WhatOneInstanceProtectsAnotherOnTheSameStorageReadsAndTheKeysAreStoredEncrypted()
    {
        var prefix = TestStorage.NewTablePrefix();
        await using var first = new SameStorageFactory(prefix);
        await using var second = new SameStorageFactory(prefix);
        await using var elsewhere = new SameStorageFactory(TestStorage.NewTablePrefix());

        var token = Protector(first).Protect("antiforgery-or-session");

        Assert.Equal("antiforgery-or-session", Protector(second).Unprotect(token));
        // Control: an instance on other storage has other keys and cannot read it.
        Assert.ThrowsAny<CryptographicException>(() => Protector(elsewhere).Unprotect(token));

        var rows = new List<TableEntity>();
        await foreach (var row in GuardedTableClient.FromConnectionString(TestStorage.ConnectionString, prefix + DataProtectionServices.TableName).QueryAsync())
        {
            rows.Add(row);
        }

        Assert.NotEmpty(rows);
        Assert.All(rows, r =>
        {
            Assert.StartsWith("enc1:", r.GetString("Xml"), StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", r.GetString("Xml"), StringComparison.OrdinalIgnoreCase);
        });
    }

    private static IDataProtector Protector(HandInHandFactory factory) =>
        factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("shared-key-ring-test");

    /// <summary>A test host whose tables share <paramref name="prefix"/> with another's.</summary>
    private sealed class SameStorageFactory(string prefix) : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Storage:TablePrefix", prefix);
        }
    }
}
