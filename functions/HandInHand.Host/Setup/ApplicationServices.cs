using Azure.Identity;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Referrals;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Audit;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Retention;
using HandInHand.Infrastructure.Surveys;
using HandInHand.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Setup;

/// <summary>Registers the app's services, options and cross-cutting concerns.</summary>
public static class ApplicationServices
{
    /// <param name="backgroundWork">Who runs the orchestrations and the digests: this process unless the Functions app builds the app.</param>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder, BackgroundWork backgroundWork = BackgroundWork.InThisProcess)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var config = builder.Configuration;
        RequiredSettings.EnsurePresent(config, builder.Environment);
        IsoDurationConverter.Register();

        builder.ListenOnLocalPort();
        builder.Logging.ClearProviders();

        // Request lines and the request scope carry the full path and query string, where a
        // link's token may be, and routing's debug lines repeat the path: these categories stay
        // off (or above debug) whatever the configuration says. Added last, so these rules win.
        services.PostConfigure<LoggerFilterOptions>(o =>
        {
            o.Rules.Add(new LoggerFilterRule(null, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None, null));
            o.Rules.Add(new LoggerFilterRule(null, "Microsoft.AspNetCore.HttpLogging", LogLevel.None, null));
            o.Rules.Add(new LoggerFilterRule(null, "Microsoft.AspNetCore.Routing", LogLevel.Information, null));
        });
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });

        services.AddSingleton(TimeProvider.System);
        services.AddOptions<IntakePolicy>().Bind(config.GetSection(IntakeOptions.SectionName));
        services.AddOptions<IntakeOptions>().Bind(config.GetSection(IntakeOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.SecretKey), "Intake:SecretKey is required.")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(config.GetSection(StorageOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.TableEndpoint is not null, "Storage:ConnectionString or Storage:TableEndpoint is required.")
            .ValidateOnStart();

        services.AddSingleton(sp => new TableProvider(
            sp.GetRequiredService<IOptions<StorageOptions>>(),
            string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString) ? new DefaultAzureCredential() : null));
        services.AddHostedService<StorageInitializer>();
        services.AddOptions<EncryptionOptions>().Bind(config.GetSection(EncryptionOptions.SectionName));
        services.AddSingleton(sp => new FieldEncryption(sp.GetRequiredService<IOptions<EncryptionOptions>>().Value));
        services.AddSingleton(sp => new AuditTrail(sp.GetRequiredService<TableProvider>().Get(AuditTables.Audit)));
        services.AddSingleton<ReferralStore>();
        services.AddSingleton<ContactChannels>();
        services.AddSingleton<SurveyTokens>();
        services.AddSingleton<RetentionService>();
        services.AddSingleton<ReferenceSequence>();
        services.AddSingleton<AccessCodes>();
        services.AddSingleton<ReferralIntake>();
        services.AddSingleton<ReferrerActions>();
        services.AddWorkflow(config, backgroundWork);
        services.AddNotifications(config, builder.Environment);
        services.AddDigests(config, backgroundWork);
        services.AddTransport(config);
        services.AddSharedDataProtection();
        services.AddOptions<Reports.ReportOptions>().Bind(config.GetSection(Reports.ReportOptions.SectionName))
            .Validate(o => o.SuppressionThreshold is >= 1 and <= 100, "Reports:SuppressionThreshold must be from 1 to 100.")
            .ValidateOnStart();
        services.AddSingleton<Reports.ReportQuery>();

        services.AddSecurity(config, builder.Environment);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Refusals by the authorization layer come without a body: say what happened, no more.
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status401Unauthorized => "Sign in to do this.",
                StatusCodes.Status403Forbidden => "Your role may not do this.",
                StatusCodes.Status404NotFound => "There is nothing here.",
                _ => null,
            };
        });
        services.AddTrustedProxies(config);
        services.AddPublicRateLimits(config);
        services.AddExceptionHandler<StorageFailureHandler>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "hih-antiforgery";
            o.FormFieldName = "__RequestVerificationToken";
        });
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return builder;
    }

    /// <summary>
    /// Unless URLs are configured, the app listens on <c>http://localhost:7071</c>, the Functions
    /// local port, so that links and scripts are the same whichever host serves it. (Under the
    /// Functions app no server of the app's own starts, and this setting is never read.)
    /// </summary>
    private static void ListenOnLocalPort(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls("http://localhost:7071");
        }
    }
}
