using System.Security.Cryptography.X509Certificates;
using HandInHand.Testing.Http;
using HandInHand.Testing.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Support;

/// <summary>
/// The app in Production over https, signing staff in through a loopback OpenID Connect provider
/// in place of Entra ID. Nothing of Production's security is relaxed: the app is served over TLS
/// (a certificate made for 127.0.0.1 here), so its <c>__Host-</c> cookies are secure and its
/// redirect URIs https; the provider is found through <c>Entra:Instance</c>, the setting a
/// deployment could change, and still over https (the handlers keep requiring https metadata).
/// The one thing a test adds is trust: the app's back channel to the provider accepts exactly the
/// test certificate, and the test's browser accepts it too.
/// </summary>
public sealed class ProductionSignInHost : IAsyncLifetime
{
    /// <summary>The session lifetimes of this host: short enough to pass with a fake clock in a few steps.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(2);

    private const string TenantId = "8d3d5a0e-5d7b-4b8e-9a57-3c4d1f0a2b61";
    private const string ClientId = "0f9c2a4e-6b1d-4e3f-8a7b-5c6d7e8f9a0b";
    private const string ClientSecret = "loopback-client-secret";

    public X509Certificate2 Certificate { get; } = LoopbackHttpPeer.CreateCertificate();

    public LoopbackOpenIdProvider Provider { get; private set; } = null!;

    public SignInFactory Factory { get; private set; } = null!;

    /// <summary>The app's https base address.</summary>
    public Uri Address => Factory.ServerAddress;

    public Task InitializeAsync()
    {
        Provider = new LoopbackOpenIdProvider(TenantId, ClientId, ClientSecret, Certificate);
        Factory = new SignInFactory(
            new Dictionary<string, string>
            {
                ["Entra:Instance"] = Provider.Instance,
                ["Entra:TenantId"] = TenantId,
                ["Entra:ClientId"] = ClientId,
                ["Entra:ClientSecret"] = ClientSecret,
                ["Session:IdleTimeout"] = IdleTimeout.ToString(),
                ["Session:AbsoluteTimeout"] = AbsoluteTimeout.ToString(),
            },
            Certificate);
        Provider.ClientOrigin = Factory.ServerAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Provider.DisposeAsync();
        Certificate.Dispose();
    }

    /// <summary>An HTTP client that trusts the test certificate (and nothing else self-signed) and does not follow redirects.</summary>
    public HttpClient CreateClient() =>
        new(Trusting(Certificate)) { BaseAddress = Address };

    private static SocketsHttpHandler Trusting(X509Certificate2 certificate) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString() },
    };

    /// <summary>The Production host whose back channel to the provider trusts the test certificate.</summary>
    public sealed class SignInFactory : ProductionHandInHandFactory
    {
        private readonly X509Certificate2 _certificate;

        public SignInFactory(IReadOnlyDictionary<string, string> settings, X509Certificate2 certificate)
            : base(settings, certificate)
        {
            _certificate = certificate;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = Trusting(_certificate));
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = Trusting(_certificate));
            });
        }
    }
}
