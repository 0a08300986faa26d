using HandInHand.Infrastructure.ServiceBus;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

public sealed class ConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS12YWx1ZQ==";

    [Theory]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=" + Key, "ns.servicebus.windows.net", null)]
    [InlineData(" endpoint = sb://ns.servicebus.windows.net/ ; sharedaccesskeyname=Root ; SharedAccessKey=" + Key + ";EntityPath=q;", "ns.servicebus.windows.net", "q")]
    [InlineData("Endpoint=https://ns.servicebus.windows.net;SharedAccessKeyName=Root;SharedAccessKey=" + Key, "ns.servicebus.windows.net", null)]
    public void ConnectionStringsYieldTheNamespaceKeyAndEntity(string connectionString, string host, string? entity)
    {
        var parsed = ServiceBusConnectionString.Parse(connectionString, nameof(connectionString));

        Assert.Equal(host, parsed.Host);
        Assert.Equal("Root", parsed.KeyName);
        // The key is kept as text: Service Bus signs with its UTF-8 bytes, not its Base64 decoding.
        Assert.Equal(Key, parsed.Key);
        Assert.Equal(entity, parsed.EntityPath);
    }

    [Theory]
    [InlineData("SharedAccessKeyName=Root;SharedAccessKey=" + Key)]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=" + Key)]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root")]
    [InlineData("Endpoint=ns.servicebus.windows.net;SharedAccessKeyName=Root;SharedAccessKey=" + Key)]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x&sig=" + Key)]
    [InlineData("garbage " + Key)]
    public void BrokenConnectionStringsAreRefusedWithoutEchoingTheKey(string connectionString)
    {
        var failure = Assert.Throws<ArgumentException>(() => new ServiceBusSender(connectionString, "q"));

        Assert.DoesNotContain(Key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEntityPathInTheConnectionStringMustNameTheSameEntity()
    {
        string connectionString = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=" + Key + ";EntityPath=emails";

        Assert.Throws<ArgumentException>(() => new ServiceBusSender(connectionString, "referral-events"));
        Assert.Equal("emails", new ServiceBusSender(connectionString, "emails").EntityPath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("/queue")]
    [InlineData("queue/")]
    [InlineData("queue?x=1")]
    [InlineData("que ue")]
    [InlineData("../admin")]
    public void EntityPathsThatWouldNeedEscapingOrEscapeTheEntityAreRefused(string entityPath)
    {
        Assert.ThrowsAny<ArgumentException>(() => new ServiceBusSender(TestNamespace.ConnectionString, entityPath));
    }
}
