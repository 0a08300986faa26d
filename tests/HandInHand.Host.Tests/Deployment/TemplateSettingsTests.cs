using System.Reflection;
using Xunit.Abstractions;
using System.Text.Json;
using HandInHand.Host.Functions;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Setup;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// The template's app settings against what the app reads. The app is started in Production with
/// exactly the template's settings (Key Vault references resolved to test secrets, the few values
/// only Azure knows stood in for, storage pointed at Azurite) behind a configuration source that
/// records every key the app looks up while it starts, serves, and resolves all its options and services.
/// </summary>
public sealed class TemplateSettingsTests(ITestOutputHelper output)
{
    /// <summary>
    /// Settings read by the Functions host or the platform, not by the app; each tied to what needs it.
    /// These and no others may be in the template without the app reading them.
    /// </summary>
    private static readonly Dictionary<string, string> ReadByTheHost = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage__accountName"] = "the host's own storage and the Durable task hub (host.json: connectionName AzureWebJobsStorage), with the identity",
        ["AzureWebJobsStorage__credential"] = "managedidentity: the connection takes a token from the site's identity, there is no key",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "the host's and the worker's telemetry",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "telemetry with Entra ID (local auth is off on the component)",
    };

    /// <summary>Test values of the Key Vault secrets the template references.</summary>
    private static readonly Dictionary<string, string> Secrets = new(StringComparer.Ordinal)
    {
        ["Intake-SecretKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        ["Encryption-Key-1"] = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray()),
        ["Entra-ClientSecret"] = "test-client-secret",
        ["SendGrid-ApiKey"] = "SG.test-key",
    };

    /// <summary>What the configuration keys holding secrets must be: Key Vault references, never literals.</summary>
    private static readonly string[] SecretKeys = ["Intake:SecretKey", "Encryption:Keys:0:Key", "Entra:ClientSecret", "SendGrid:ApiKey"];

    /// <summary>
    /// Settings read by the app that the template leaves to their defaults in code (appsettings.json
    /// values count as provided). Each prefix must still be read by the app, or this list has rotted.
    /// </summary>
    private static readonly Dictionary<string, string> LeftToCodeDefaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Notifications:StaffEmails"] = "one address per practitioner id: added as app settings by the contractor (README)",
        ["Notifications:DevelopmentMailboxPath"] = "Development only; unset means SendGrid",
        ["SendGrid:SandboxMode"] = "false in production",
        ["Entra:Instance"] = "https://login.microsoftonline.com/",
        ["Session"] = "30 min idle, 8 h absolute",
        ["Digests"] = "07:30 Europe/London; the loop is off, the DigestRun timer runs the job",
        ["RateLimits"] = "20 per client and 600 in all per minute",
        ["ForwardedHeaders:KnownNetworks"] = "none: the one trusted proxy is the Functions host, on loopback (KnownProxies)",
        ["ForwardedHeaders:ForwardLimit"] = "1: the front end appends the client's address to X-Forwarded-For",
        ["Intake:Regions"] = "the five North Yorkshire and York areas",
        ["Intake:TrustedRelationships"] = "off",
        ["Lifecycle:MyWheelDomains"] = "the nine default domains",
        ["ServiceBus:ConnectionString"] = "Azure uses the managed identity",
        ["Storage:ConnectionString"] = "Azure uses the managed identity and Storage:TableEndpoint",
        ["Authentication:DevelopmentSignIn"] = "refused outside Development",
        ["Workflow"] = "appsettings.json and code defaults",
        ["Encryption:Keys"] = "the keys array; its first key is set",
        ["Authentication:Schemes"] = "ASP.NET Core's per-scheme defaults; the app configures its schemes in code",
        ["Intake:Effective"] = "computed properties, looked up by the binder; not settings",
        ["Lifecycle:Effective"] = "computed properties, looked up by the binder; not settings",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheAppStartsInProductionWithTheTemplatesSettingsAndReadsEachOfThem(bool deployServiceBus)
    {
        var settings = ResolvedSettings(deployServiceBus).ToDictionary(s => ArmTemplate.ConfigurationKey(s.Key), s => (string?)s.Value, StringComparer.OrdinalIgnoreCase);
        // The one departure from Azure: storage is the test's Azurite (Azure uses the managed identity and Storage:TableEndpoint).
        var recording = new RecordingConfigurationSource(new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:ConnectionString"] = TestStorage.ConnectionString,
            ["Storage:TablePrefix"] = TestStorage.NewTablePrefix(),
            ["urls"] = "http://127.0.0.1:0",
        });
        await using (var app = await StartAsAzureWouldAsync(recording))
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
            ResolveEverything(app.Services, _services!);
            await app.StopAsync();
        }

        var read = recording.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        read.UnionWith(recording.Sections);
        var hostOnly = ReadByTheHost.Keys.Select(ArmTemplate.ConfigurationKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var notRead = settings.Keys
            .Where(key => !hostOnly.Contains(key))
            .Where(key => !read.Contains(key))
            .ToList();
        Assert.True(notRead.Count == 0, "the template provides settings the app never reads: " + string.Join(", ", notRead));

        // Every key the app read in its own sections has a value from the template or appsettings.json, or is a known code default.
        var appSettingsJson = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json").Build();
        var sections = AppSections();
        var missing = read
            .Where(key => sections.Contains(key.Split(':')[0]))
            .Where(key => !settings.Keys.Any(s => IsAtOrUnder(s, key)))
            .Where(key => appSettingsJson[key] is null && !appSettingsJson.GetSection(key).GetChildren().Any())
            .Where(key => !LeftToCodeDefaults.Keys.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        Assert.True(missing.Count == 0, "the app reads settings that the template does not provide and that have no default: " + string.Join(", ", missing));

        var rotten = LeftToCodeDefaults.Keys.Where(prefix => !read.Any(key => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(rotten.Count == 0, "listed as left to code defaults, but the app no longer reads: " + string.Join(", ", rotten));
        output.WriteLine($"{read.Count} keys read; {settings.Count} template settings; {sections.Count} app sections");
    }

    [Fact]
    public void EverySecretIsAKeyVaultReferenceAndEveryReferencedSecretIsKnown()
    {
        var settings = ArmTemplate.AppSettings();
        foreach (var key in SecretKeys)
        {
            var setting = settings.Single(s => string.Equals(ArmTemplate.ConfigurationKey(s.Key), key, StringComparison.OrdinalIgnoreCase));
            Assert.True(ArmTemplate.SecretName(setting.Value) is not null, $"{setting.Key} is not a Key Vault reference.");
        }

        var referenced = settings.Values.Select(ArmTemplate.SecretName).OfType<string>().Order(StringComparer.Ordinal);
        Assert.Equal(Secrets.Keys.Order(StringComparer.Ordinal), referenced);
    }

    [Fact]
    public void EverySettingTheTemplateLeavesToThePlatformIsInTheTemplate()
    {
        var settings = ArmTemplate.AppSettings();
        Assert.All(ReadByTheHost.Keys, name => Assert.True(settings.ContainsKey(name), $"{name} is not in the template."));
    }

    /// <summary>The template's settings as Azure would resolve them with the parameters' defaults (and required ones filled in).</summary>
    private static Dictionary<string, string> ResolvedSettings(bool deployServiceBus)
    {
        var standIns = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage__accountName"] = "hhteststorage",
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000",
            ["Storage__TableEndpoint"] = "https://hhteststorage.table.core.windows.net/",
            ["Entra__TenantId"] = "8d3d5a0e-5d7b-4b8e-9a57-3c4d1f0a2b61",
            ["Entra__ClientId"] = "0f9c2a4e-6b1d-4e3f-8a7b-5c6d7e8f9a0b",
            ["Entra__Audience"] = "0f9c2a4e-6b1d-4e3f-8a7b-5c6d7e8f9a0b",
            ["Notifications__BaseUrl"] = "https://handinhand-test.azurewebsites.net/",
            ["Notifications__FromEmail"] = "referrals@example.org",
            ["Notifications__YoungPersonFromEmail"] = "appointments@example.net",
            ["Notifications__ManagerEmail"] = "manager@example.org",
            ["Transport__IntegrationEvents"] = deployServiceBus ? "ServiceBus" : "None",
            ["ServiceBus__FullyQualifiedNamespace"] = deployServiceBus ? "https://handinhand-sb-test.servicebus.windows.net" : string.Empty,
        };
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var unresolved = new List<string>();
        foreach (var (name, value) in ArmTemplate.AppSettings())
        {
            if (ArmTemplate.SecretName(value) is { } secret)
            {
                resolved[name] = Secrets[secret];
            }
            else if (ArmTemplate.Evaluate(value) is { } literal)
            {
                resolved[name] = literal;
            }
            else if (standIns.Remove(name, out var standIn))
            {
                resolved[name] = standIn;
            }
            else
            {
                unresolved.Add(name);
            }
        }

        Assert.True(unresolved.Count == 0, "template settings with no stand-in for the test: " + string.Join(", ", unresolved));
        Assert.True(standIns.Count == 0, "stand-ins for settings the template no longer computes: " + string.Join(", ", standIns.Keys));
        return resolved;
    }

    /// <summary>
    /// The app's own configuration sections: every options class's <c>SectionName</c>, and the sections
    /// the app names directly. Each is checked to be read, so the list cannot hold a stale name.
    /// </summary>
    private static HashSet<string> AppSections()
    {
        var sections = new[] { typeof(Program).Assembly, typeof(HandInHand.Infrastructure.Storage.StorageOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Select(t => t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true })
            .Select(f => (string)f!.GetRawConstantValue()!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        sections.UnionWith(["Lifecycle", "Practitioners", "SendGrid", "Authentication"]);
        return sections;
    }

    private static bool IsAtOrUnder(string provided, string key) =>
        string.Equals(provided, key, StringComparison.OrdinalIgnoreCase) || provided.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase);

    private IServiceCollection? _services;

    /// <summary>
    /// Composes the app exactly as Program.cs does, in Production, with the recording source added
    /// last so that it is asked first for every key, at registration time and at run time alike.
    /// </summary>
    private async Task<WebApplication> StartAsAzureWouldAsync(RecordingConfigurationSource recording)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        ((IConfigurationBuilder)builder.Configuration).Add(recording);
        builder.AddApplicationServices();
        _services = builder.Services;
        var app = builder.Build();
        app.MapApplicationEndpoints();
        await app.StartAsync();
        return app;
    }

    /// <summary>Every options value and every HandInHand service the app registered, so that each reads its settings.</summary>
    private static void ResolveEverything(IServiceProvider provider, IServiceCollection services)
    {
        foreach (var type in services.Select(d => d.ServiceType).Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IConfigureOptions<>)).Select(t => t.GetGenericArguments()[0]).Distinct())
        {
            var options = typeof(IOptions<>).MakeGenericType(type);
            _ = options.GetProperty(nameof(IOptions<object>.Value))!.GetValue(provider.GetRequiredService(options));
        }

        foreach (var descriptor in services.Where(d => !d.ServiceType.IsGenericTypeDefinition && !d.IsKeyedService && d.ServiceType.Namespace?.StartsWith("HandInHand", StringComparison.Ordinal) == true))
        {
            Assert.NotNull(provider.GetServices(descriptor.ServiceType).ToList());
        }

        foreach (var name in FunctionNames.Scheduled)
        {
            _ = provider.GetKeyedService<IScheduledJob>(name);
        }
    }
}
