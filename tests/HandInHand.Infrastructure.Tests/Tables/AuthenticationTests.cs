using Azure.Core;
using Azure.Core.Pipeline;
using HandInHand.Infrastructure.Tables;
using HandInHand.Infrastructure.Tests.Http;

namespace HandInHand.Infrastructure.Tests.Tables;

/// <summary>SharedKeyLite against Azurite, bearer tokens against a TLS loopback peer, connection strings.</summary>
public sealed class AuthenticationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AWrongAccountKeyIsATypedForbiddenFailure()
    {
        string wrongKey = Convert.ToBase64String(new byte[64]);
        string connectionString = System.Text.RegularExpressions.Regex.Replace(
            azurite.ConnectionString, "AccountKey=[^;]+", "AccountKey=" + wrongKey);
        var client = new TableClient(connectionString, AzuriteFixture.NewTableName());

        var failure = await Assert.ThrowsAsync<TableStorageException>(() => client.CreateIfNotExistsAsync());

        Assert.Equal(403, failure.Status);
        Assert.Equal(TableFailureKind.Other, failure.Kind);
        Assert.False(string.IsNullOrEmpty(failure.ErrorCode));
        Assert.DoesNotContain(wrongKey, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenCredentialSendsABearerTokenForTheStorageScopeWithTheServiceVersion()
    {
        using var certificate = LoopbackHttpPeer.CreateCertificate();
        await using var peer = new LoopbackPeer(
            _ => PeerReply.Json(200, """{"PartitionKey":"p","RowKey":"r","Name":"Ada"}"""),
            certificate);
        var credential = new RecordingTokenCredential("fake-access-token");
        var options = new TableClientOptions
        {
            // Trust exactly the peer's throw-away certificate.
            Transport = new HttpClientTransport(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            }),
        };
        var client = new TableClient(new Uri($"https://127.0.0.1:{peer.Port}"), "peer", credential, options);

        var entity = await client.GetEntityIfExistsAsync("p", "r");

        Assert.Equal("Ada", entity!.GetString("Name"));
        var request = Assert.Single(peer.Requests);
        Assert.Equal("Bearer fake-access-token", request.Header("Authorization"));
        Assert.Equal("2020-12-06", request.Header("x-ms-version"));
        Assert.Equal("/peer(PartitionKey='p',RowKey='r')", request.Path);
        Assert.Equal(["https://storage.azure.com/.default"], credential.RequestedScopes.Distinct());
    }

    [Fact]
    public void ATokenCredentialIsRefusedForAPlainHttpEndpoint()
    {
        Assert.Throws<ArgumentException>(
            () => new TableClient(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "anytable", new RecordingTokenCredential("t")));
    }

    [Fact]
    public void TheDevelopmentStorageShortcutTargetsTheLocalEmulatorWithTheWellKnownAccount()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true", "unused");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(Convert.FromBase64String(LoopbackPeer.DevelopmentKey), parsed.AccountKey);
    }

    [Theory]
    [InlineData("AccountName=acct;AccountKey=AAAA;DefaultEndpointsProtocol=https;EndpointSuffix=core.windows.net", "https://acct.table.core.windows.net/")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=AAAA", "http://acct.table.core.windows.net/")]
    [InlineData("AccountName=acct;AccountKey=AAAA;EndpointSuffix=core.chinacloudapi.cn", "https://acct.table.core.chinacloudapi.cn/")]
    [InlineData("AccountName=devstoreaccount1;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:10302/devstoreaccount1;", "http://127.0.0.1:10302/devstoreaccount1")]
    public void ConnectionStringsYieldTheTableEndpoint(string connectionString, string endpoint)
    {
        Assert.Equal(new Uri(endpoint), StorageConnectionString.Parse(connectionString, nameof(connectionString)).TableEndpoint);
    }

    [Theory]
    [InlineData("AccountName=acct")]
    [InlineData("AccountKey=c2VjcmV0LWtleQ==")]
    [InlineData("AccountName=acct;AccountKey=not base64!")]
    [InlineData("SharedAccessSignature=sv=2020&sig=c2VjcmV0LWtleQ==;TableEndpoint=https://x")]
    [InlineData("garbage")]
    public void BrokenConnectionStringsAreRefusedWithoutEchoingTheKey(string connectionString)
    {
        var failure = Assert.Throws<ArgumentException>(() => new TableClient(connectionString, "anytable"));

        Assert.DoesNotContain("c2VjcmV0LWtleQ==", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplacingTheRetryPolicyIsRefusedBecauseItGuardsAgainstDuplicateWrites()
    {
        var options = new TableClientOptions { RetryPolicy = new RetryPolicy() };

        Assert.Throws<ArgumentException>(() => new TableClient("UseDevelopmentStorage=true", "anytable", options));
    }

    [Fact]
    public void TheSharedKeyLiteResourceIsTheAccountPlusTheEncodedPathAndOnlyTheCompParameter()
    {
        var uri = new Uri("http://127.0.0.1:10002/devstoreaccount1/t1(PartitionKey='a%20b',RowKey='%C3%A9')?$filter=x&comp=metadata&NextRowKey=1");

        string resource = SharedKeyLitePolicy.CanonicalizedResource("devstoreaccount1", uri);

        Assert.Equal("/devstoreaccount1/devstoreaccount1/t1(PartitionKey='a%20b',RowKey='%C3%A9')?comp=metadata", resource);
    }
}
