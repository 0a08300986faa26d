using System.Globalization;
using System.Text.Json;
using HandInHand.Infrastructure.ServiceBus;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>Send Message and Send Message Batch requests, checked field by field against the REST reference.</summary>
public sealed class SendMessageTests
{
    private static ServiceBusMessage AllocationMessage() => new()
    {
        MessageId = "referral-2025-0042/allocated/7",
        Body = """{"referralId":"2025-0042","state":"Allocated","at":"2025-03-01T10:00:00Z"}""",
        ContentType = "application/json",
        CorrelationId = "workflow-2025-0042",
        SessionId = "2025-0042",
        Subject = "ReferralAllocated",
        TimeToLive = TimeSpan.FromSeconds(90),
        ScheduledEnqueueTime = new DateTimeOffset(1994, 11, 6, 9, 49, 37, TimeSpan.FromHours(1)),
        ApplicationProperties = { ["Event"] = "ReferralAllocated", ["Version"] = 7, ["Urgent"] = false, ["Sequence"] = 1234567890123L },
    };

    [Fact]
    public async Task ASendPostsTheBodyToTheEntityMessagesPathWithEveryDocumentedHeader()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));
        var message = AllocationMessage();

        await sender.SendAsync(message);

        var request = Assert.Single(peer.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/referral-events/messages", request.Target);
        Assert.Equal(message.Body, request.BodyText);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(request.Body.Length.ToString(CultureInfo.InvariantCulture), request.Header("Content-Length"));

        var sas = DocumentedSas.Parse(request.Header("Authorization"));
        Assert.Equal($"https://{TestNamespace.Host}/referral-events", sas.Resource);
        Assert.Equal(TestNamespace.KeyName, sas.KeyName);
        sas.AssertSignedWith(TestNamespace.Key);
        Assert.InRange(sas.Expiry, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60, DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds());

        using var broker = JsonDocument.Parse(request.Header("BrokerProperties")!);
        var properties = broker.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        Assert.Equal(["CorrelationId", "Label", "MessageId", "ScheduledEnqueueTimeUtc", "SessionId", "TimeToLive"], properties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("referral-2025-0042/allocated/7", properties["MessageId"].GetString());
        Assert.Equal("workflow-2025-0042", properties["CorrelationId"].GetString());
        Assert.Equal("2025-0042", properties["SessionId"].GetString());
        Assert.Equal("ReferralAllocated", properties["Label"].GetString());
        Assert.Equal(JsonValueKind.Number, properties["TimeToLive"].ValueKind);
        Assert.Equal(90, properties["TimeToLive"].GetDouble());
        // RFC 1123, in UTC: the example in the reference is "Sun, 06 Nov 1994 08:49:37 GMT".
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", properties["ScheduledEnqueueTimeUtc"].GetString());

        // Custom properties: strings in double quotes, numbers and booleans bare (lower-case, as the broker is case-sensitive).
        Assert.Equal("\"ReferralAllocated\"", request.Header("Event"));
        Assert.Equal("7", request.Header("Version"));
        Assert.Equal("false", request.Header("Urgent"));
        Assert.Equal("1234567890123", request.Header("Sequence"));
    }

    [Fact]
    public async Task AMessageWithOnlyItsRequiredPartsSendsOnlyTheMessageIdAndPlainText()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));

        await sender.SendAsync(new ServiceBusMessage { MessageId = "m-1", Body = "ReferralClosed 2025-0042" });

        var request = Assert.Single(peer.Requests);
        Assert.Equal("""{"MessageId":"m-1"}""", request.Header("BrokerProperties"));
        Assert.Equal("text/plain; charset=utf-8", request.Header("Content-Type"));
    }

    [Fact]
    public async Task NonAsciiInBrokerPropertiesIsEscapedSoTheHeaderStaysAscii()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));

        await sender.SendAsync(new ServiceBusMessage { MessageId = "m-é", Body = "x", Subject = "Zuständigkeit" });

        string header = Assert.Single(peer.Requests).Header("BrokerProperties")!;
        Assert.True(header.All(char.IsAscii));
        using var broker = JsonDocument.Parse(header);
        Assert.Equal("m-é", broker.RootElement.GetProperty("MessageId").GetString());
        Assert.Equal("Zuständigkeit", broker.RootElement.GetProperty("Label").GetString());
    }

    [Fact]
    public async Task ATopicIsAddressedTheSameWayAsAQueue()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-topic", TestNamespace.OptionsFor(peer.Address));

        await sender.SendAsync(new ServiceBusMessage { MessageId = "m-1", Body = "x" });

        var request = Assert.Single(peer.Requests);
        Assert.Equal("/referral-topic/messages", request.Target);
        Assert.Equal($"https://{TestNamespace.Host}/referral-topic", DocumentedSas.Parse(request.Header("Authorization")).Resource);
    }

    [Fact]
    public async Task ABatchIsOneJsonArrayOfBodiesBrokerPropertiesAndUserProperties()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));
        var first = new ServiceBusMessage { MessageId = "m-1", Body = "first", TimeToLive = TimeSpan.FromSeconds(40), Subject = "M1" };
        var second = new ServiceBusMessage
        {
            MessageId = "m-2",
            Body = "second",
            ScheduledEnqueueTime = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero),
            ApplicationProperties = { ["Event"] = "ReviewDue", ["Attempt"] = 2, ["Urgent"] = true },
        };

        await sender.SendBatchAsync([first, second]);

        var request = Assert.Single(peer.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/referral-events/messages", request.Target);
        // Exactly the documented media type, without parameters such as charset.
        Assert.Equal("application/vnd.microsoft.servicebus.json", request.Header("Content-Type"));
        DocumentedSas.Parse(request.Header("Authorization")).AssertSignedWith(TestNamespace.Key);
        Assert.Null(request.Header("BrokerProperties"));

        using var batch = JsonDocument.Parse(request.Body);
        var elements = batch.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, elements.Count);
        Assert.Equal("first", elements[0].GetProperty("Body").GetString());
        Assert.Equal("m-1", elements[0].GetProperty("BrokerProperties").GetProperty("MessageId").GetString());
        Assert.Equal("M1", elements[0].GetProperty("BrokerProperties").GetProperty("Label").GetString());
        Assert.Equal(40, elements[0].GetProperty("BrokerProperties").GetProperty("TimeToLive").GetDouble());
        Assert.False(elements[0].TryGetProperty("UserProperties", out _));
        Assert.Equal("second", elements[1].GetProperty("Body").GetString());
        Assert.Equal("Sat, 01 Mar 2025 10:00:00 GMT", elements[1].GetProperty("BrokerProperties").GetProperty("ScheduledEnqueueTimeUtc").GetString());
        var user = elements[1].GetProperty("UserProperties");
        Assert.Equal("ReviewDue", user.GetProperty("Event").GetString());
        Assert.Equal(2, user.GetProperty("Attempt").GetInt32());
        Assert.True(user.GetProperty("Urgent").GetBoolean());
    }

    public static TheoryData<string> BrokenRules =>
    [
        "no MessageId", "blank MessageId", "MessageId over 128", "body over 256 KiB", "non-positive TimeToLive", "double property",
        "quote in a string property", "line break in a string property", "reserved header name", "x-ms- header name", "name with a colon",
    ];

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task AMessageThatBreaksARuleIsRefusedBeforeAnythingIsSent(string rule)
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => sender.SendAsync(Breaking(rule)));

        Assert.Empty(peer.Requests);
        Assert.DoesNotContain("bbbbbbbb", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceBusMessage Breaking(string rule) => rule switch
    {
        "no MessageId" => new ServiceBusMessage { MessageId = null!, Body = "x" },
        "blank MessageId" => new ServiceBusMessage { MessageId = " ", Body = "x" },
        "MessageId over 128" => new ServiceBusMessage { MessageId = new string('m', 129), Body = "x" },
        "body over 256 KiB" => new ServiceBusMessage { MessageId = "m", Body = new string('b', (256 * 1024) + 1) },
        "non-positive TimeToLive" => new ServiceBusMessage { MessageId = "m", Body = "x", TimeToLive = TimeSpan.Zero },
        "double property" => new ServiceBusMessage { MessageId = "m", Body = "x", ApplicationProperties = { ["Score"] = 1.5 } },
        "quote in a string property" => new ServiceBusMessage { MessageId = "m", Body = "x", ApplicationProperties = { ["State"] = "a\"b" } },
        "line break in a string property" => new ServiceBusMessage { MessageId = "m", Body = "x", ApplicationProperties = { ["State"] = "a\r\nInjected: 1" } },
        "reserved header name" => new ServiceBusMessage { MessageId = "m", Body = "x", ApplicationProperties = { ["Authorization"] = "x" } },
        "x-ms- header name" => new ServiceBusMessage { MessageId = "m", Body = "x", ApplicationProperties = { ["x-ms-version"] = "x" } },
        "name with a colon" => new ServiceBusMessage { MessageId = "m", Body = "x", ApplicationProperties = { ["a:b"] = "x" } },
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    [Fact]
    public async Task ABatchIsRefusedWhenEmptyWhenIdsRepeatOrWhenAMessageSetsAContentType()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));

        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendBatchAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendBatchAsync(
            [new ServiceBusMessage { MessageId = "m", Body = "a" }, new ServiceBusMessage { MessageId = "m", Body = "b" }]));
        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendBatchAsync(
            [new ServiceBusMessage { MessageId = "m", Body = "a", ContentType = "application/json" }]));
        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendBatchAsync(
            [new ServiceBusMessage { MessageId = "m1", Body = new string('b', 200 * 1024) }, new ServiceBusMessage { MessageId = "m2", Body = new string('b', 100 * 1024) }]));

        Assert.Empty(peer.Requests);
    }
}
