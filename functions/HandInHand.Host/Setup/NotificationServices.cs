using HandInHand.Infrastructure.Email;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Setup;

/// <summary>Registers email: the development mailbox when a folder is configured (the Development default), SendGrid otherwise.</summary>
public static class NotificationServices
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration config, IHostEnvironment environment)
    {
        services.AddOptions<NotificationOptions>().Bind(config.GetSection(NotificationOptions.SectionName));
        services.AddSingleton<IEmailSender>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<NotificationOptions>>().Value;
            if (!string.IsNullOrWhiteSpace(options.DevelopmentMailboxPath))
            {
                if (!environment.IsDevelopment())
                {
                    throw new InvalidOperationException("The development mailbox exists only in the Development environment; configure SendGrid instead.");
                }

                return new DevelopmentMailbox(Path.GetFullPath(options.DevelopmentMailboxPath, environment.ContentRootPath), sp.GetRequiredService<TimeProvider>());
            }

            var sendGrid = config.GetSection("SendGrid").Get<SendGridSettings>() ?? new SendGridSettings();
            return new SendGridEmailSender(new SendGridEmailOptions { ApiKey = sendGrid.ApiKey ?? string.Empty, Endpoint = sendGrid.Endpoint ?? SendGridEmailOptions.GlobalEndpoint, SandboxMode = sendGrid.SandboxMode }, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<EmailDelivery>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<EmailDelivery>());
        return services;
    }

    /// <summary>The SendGrid settings (the key is a Key Vault reference in Azure).</summary>
    public sealed class SendGridSettings
    {
        public string? ApiKey { get; set; }
        public Uri? Endpoint { get; set; }
        public bool SandboxMode { get; set; }
    }
}
