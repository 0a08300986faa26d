using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Support;

/// <summary>
/// The app in Production on a real Kestrel socket, so that the peer address is a real one
/// (127.0.0.1): every setting Production requires is given a test value. Entra is never reached:
/// a test that signs in points <c>Entra:Instance</c> at a loopback provider of its own.
/// </summary>
public class ProductionHandInHandFactory : HandInHandFactory
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">Settings on top of the test values, in configuration-key form.</param>
    /// <param name="certificate">
    /// When given, the socket speaks https with this certificate, as the app is reached in production
    /// (TLS ends in front of it there, and the forwarded scheme says https): secure cookies, sign-in
    /// redirect URIs and HSTS then see what they see in production.
    /// </param>
    public ProductionHandInHandFactory(IReadOnlyDictionary<string, string>? settings = null, X509Certificate2? certificate = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        if (certificate is null)
        {
            UseKestrel(0);
        }
        else
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        }
    }

    /// <summary>The base address of the real socket.</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.UseSetting("Notifications:DevelopmentMailboxPath", string.Empty);
        builder.UseSetting("Intake:SecretKey", Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
        builder.UseSetting("Encryption:ActiveKeyId", "test-1");
        builder.UseSetting("Encryption:Keys:0:Id", "test-1");
        builder.UseSetting("Encryption:Keys:0:Key", Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray()));
        builder.UseSetting("Entra:TenantId", "8d3d5a0e-5d7b-4b8e-9a57-3c4d1f0a2b61");
        builder.UseSetting("Entra:ClientId", "0f9c2a4e-6b1d-4e3f-8a7b-5c6d7e8f9a0b");
        builder.UseSetting("Entra:ClientSecret", "test-client-secret");
        builder.UseSetting("SendGrid:ApiKey", "SG.test-key");
        builder.UseSetting("Notifications:BaseUrl", "https://handinhand.example.org/");
        builder.UseSetting("Notifications:FromEmail", "referrals@example.org");
        builder.UseSetting("Notifications:ManagerEmail", "manager@example.org");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
