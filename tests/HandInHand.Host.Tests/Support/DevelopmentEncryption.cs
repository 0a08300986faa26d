using HandInHand.Infrastructure.Protection;
using Microsoft.Extensions.Configuration;

namespace HandInHand.Host.Tests.Support;

/// <summary>The field encryption the app uses in Development, built from the same appsettings.Development.json, for tests that read storage directly.</summary>
internal static class DevelopmentEncryption
{
    public static FieldEncryption Create()
    {
        var config = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.Development.json", optional: false)
            .Build();
        var options = config.GetSection(EncryptionOptions.SectionName).Get<EncryptionOptions>()
            ?? throw new InvalidOperationException("appsettings.Development.json has no Encryption section.");
        return new FieldEncryption(options);
    }
}
