using System.Security.Cryptography;
using System.Xml.Linq;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Protection;
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

    [Fact]
    public async Task AStoredKeysSecretIsEncryptedWithTheFieldKeySoNoUnencryptedKeyWarningIsLogged()
    {
        var prefix = TestStorage.NewTablePrefix();
        await using var factory = new SameStorageFactory(prefix);
        var token = Protector(factory).Protect("antiforgery-or-session");

        var encryption = factory.Services.GetRequiredService<FieldEncryption>();
        var keys = new List<XElement>();
        await foreach (var row in GuardedTableClient.FromConnectionString(TestStorage.ConnectionString, prefix + DataProtectionServices.TableName).QueryAsync())
        {
            keys.Add(XElement.Parse(encryption.Decrypt(row.GetString("Xml")!, DataProtectionServices.TableName + "|" + row.RowKey)));
        }

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            // Even with the row's own encryption peeled off, the key's secret is still sealed.
            Assert.DoesNotContain(key.Descendants(), e => e.Name.LocalName == "masterKey");
            var sealedSecret = Assert.Single(key.Descendants(), e => e.Name.LocalName == "encryptedSecret");
            Assert.Contains("FieldXmlDecryptor", (string?)sealedSecret.Attribute("decryptorType"), StringComparison.Ordinal);
        });
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("No XML encryptor configured", StringComparison.Ordinal));
        // A fresh instance on the same storage decrypts the secret and reads what the first protected.
        await using var second = new SameStorageFactory(prefix);
        Assert.Equal("antiforgery-or-session", Protector(second).Unprotect(token));
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
