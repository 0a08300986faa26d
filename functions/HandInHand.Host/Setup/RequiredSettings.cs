using HandInHand.Host.Security;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Host.Setup;

/// <summary>
/// The settings the app cannot run without, checked all together before anything is registered,
/// so that a deployment missing several learns of all of them at once, instead of one per attempt
/// or, for Entra, only from a 500 on every request after "Application started".
/// Which are required depends on the choices the configuration makes (development sign-in and
/// mailbox are Development only; Service Bus only when a transport uses it).
/// </summary>
public static class RequiredSettings
{
    /// <exception cref="MissingSettingsException">One or more required settings are missing; the message names them all.</exception>
    public static void EnsurePresent(IConfiguration config, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var missing = new List<string>();
        void Require(string key)
        {
            if (string.IsNullOrWhiteSpace(config[key]))
            {
                missing.Add(key);
            }
        }

        var storage = StorageOptions.SectionName;
        if (string.IsNullOrWhiteSpace(config[$"{storage}:ConnectionString"]) && string.IsNullOrWhiteSpace(config[$"{storage}:TableEndpoint"]))
        {
            missing.Add($"{storage}:ConnectionString or {storage}:TableEndpoint");
        }

        Require("Intake:SecretKey");
        var encryption = EncryptionOptions.SectionName;
        Require($"{encryption}:ActiveKeyId");
        var keys = config.GetSection($"{encryption}:Keys").GetChildren().ToList();
        if (keys.Count == 0)
        {
            missing.Add($"{encryption}:Keys (at least one Id and Key)");
        }

        foreach (var key in keys)
        {
            Require(key.Path + ":Id");
            Require(key.Path + ":Key");
        }

        if (!config.GetValue("Authentication:DevelopmentSignIn", environment.IsDevelopment()))
        {
            Require($"{EntraOptions.SectionName}:TenantId");
            Require($"{EntraOptions.SectionName}:ClientId");
            Require($"{EntraOptions.SectionName}:ClientSecret");
        }

        var notifications = NotificationOptions.SectionName;
        if (string.IsNullOrWhiteSpace(config[$"{notifications}:DevelopmentMailboxPath"]))
        {
            Require("SendGrid:ApiKey");
        }

        // Development runs on the code defaults (localhost links, .invalid addresses); nowhere else may.
        if (!environment.IsDevelopment())
        {
            Require($"{notifications}:BaseUrl");
            Require($"{notifications}:FromEmail");
            Require($"{notifications}:ManagerEmail");
        }

        if (missing.Count > 0)
        {
            throw new MissingSettingsException(missing);
        }
    }
}
