using HandInHand.Infrastructure.Notifications;

namespace HandInHand.Host.Setup;

/// <summary>Registers the daily digests: their settings, the job, and (in the local host) the loop that runs it each morning.</summary>
public static class DigestServices
{
    public static IServiceCollection AddDigests(this IServiceCollection services, IConfiguration config, BackgroundWork backgroundWork = BackgroundWork.InThisProcess)
    {
        IsoDurationConverter.Register();
        services.AddOptions<DigestOptions>().Bind(config.GetSection(DigestOptions.SectionName))
            .Validate(o => KnowsTimeZone(o.TimeZone), "Digests:TimeZone is not a time zone this machine knows.")
            .Validate(o => o.CheckInterval >= TimeSpan.FromSeconds(0.1), "Digests:CheckInterval must be at least 0.1 seconds.")
            .Validate(o => o.ReviewLookahead >= TimeSpan.Zero, "Digests:ReviewLookahead cannot be negative.")
            .ValidateOnStart();
        services.AddSingleton<DigestJob>();
        if (backgroundWork == BackgroundWork.InThisProcess)
        {
            // Under the Functions host its DigestRun timer runs the job instead.
            services.AddHostedService<DigestLoop>();
        }

        return services;
    }

    private static bool KnowsTimeZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
