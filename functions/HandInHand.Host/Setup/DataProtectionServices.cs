using System.Xml.Linq;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace HandInHand.Host.Setup;

/// <summary>
/// One data-protection key ring for every instance. Session cookies, OpenID Connect state and the
/// referral form's antiforgery tokens are protected with these keys; kept in each process (the
/// default), a form served by one Flex Consumption instance and posted to another, or a sign-in
/// that outlives an instance, would fail. The keys live in Table Storage, encrypted with the app's
/// field encryption (the Key Vault key), so the storage account alone does not reveal them; each
/// key's secret is also sealed by <see cref="FieldXmlEncryptor"/> inside the key's XML.
/// </summary>
public static class DataProtectionServices
{
    public const string TableName = "DataProtectionKeys";

    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("HandInHand");
        services.AddOptions<KeyManagementOptions>()
            .Configure<TableProvider, FieldEncryption>((o, tables, encryption) =>
            {
                o.XmlRepository = new TableKeyRepository(tables.Get(TableName), encryption);
                // Each key's secret is sealed on its own as well, so the key XML never holds it in the
                // clear, whatever stores it; the row encryption below stays, and keeps older rows readable.
                o.XmlEncryptor = new FieldXmlEncryptor(encryption);
            });
        return services;
    }

    /// <summary>Keys as rows (partition <c>keys</c>, row = the key's friendly name), their XML encrypted and bound to the row.</summary>
    private sealed class TableKeyRepository(GuardedTableClient table, FieldEncryption encryption) : IXmlRepository
    {
        private const string Partition = "keys";

        // IXmlRepository is synchronous; the key ring is read rarely (it is cached) and written once per key lifetime.
        public IReadOnlyCollection<XElement> GetAllElements() => GetAllElementsAsync().GetAwaiter().GetResult();

        public void StoreElement(XElement element, string friendlyName)
        {
            ArgumentNullException.ThrowIfNull(element);
            ArgumentException.ThrowIfNullOrEmpty(friendlyName);
            var row = new TableEntity(Partition, friendlyName)
            {
                ["Xml"] = encryption.Encrypt(element.ToString(SaveOptions.DisableFormatting), Context(friendlyName)),
            };
            table.AddEntityAsync(row).GetAwaiter().GetResult();
        }

        private async Task<IReadOnlyCollection<XElement>> GetAllElementsAsync()
        {
            var elements = new List<XElement>();
            await foreach (var row in table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}")).ConfigureAwait(false))
            {
                elements.Add(XElement.Parse(encryption.Decrypt(row.GetString("Xml") ?? string.Empty, Context(row.RowKey))));
            }

            return elements;
        }

        private static string Context(string friendlyName) => TableName + "|" + friendlyName;
    }
}
