using HandInHand.Infrastructure.ServiceBus;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>The made-up namespace and key the tests sign with, and client options aimed at a peer.</summary>
public static class TestNamespace
{
    public const string Host = "handinhand-test.servicebus.windows.net";
    public const string KeyName = "SendListen";

    // A made-up key in the shape of a real one (Base64 of 32 bytes). It is signed with as text, not decoded.
    public const string Key = "q1NrZW4tbm90LWEtcmVhbC1rZXktanVzdC1hLXRlc3Q9";

    public static string ConnectionString => $"Endpoint=sb://{Host}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key}";

    public static ServiceBusClientOptions OptionsFor(Uri peer, TimeProvider? clock = null)
    {
        var options = new ServiceBusClientOptions { CustomEndpointAddress = peer };
        if (clock is not null)
        {
            options.TimeProvider = clock;
        }

        // Short back-off keeps the retry tests fast; the shape of the back-off is Azure.Core's.
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return options;
    }
}
