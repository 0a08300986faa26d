using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Support;

/// <summary>
/// The app in Production on a real Kestrel socket, so that the peer address is a real one
/// (127.0.0.1): every setting Production requires is given a test value, and Entra is never
/// reached because no test here signs in.
/// </summary>
public class ProductionHandInHandFactory : HandInHandFactory
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    public ProductionHandInHandFactory(IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
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
