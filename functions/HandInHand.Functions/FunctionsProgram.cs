using HandInHand.Functions.Hosting;
using HandInHand.Host.Setup;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Protection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Options;

namespace HandInHand.Functions;

/// <summary>
/// The worker's entry point. A named class, not top-level statements: the local host's public
/// <c>Program</c> is referenced too.
/// </summary>
public static class FunctionsProgram
{
    public static async Task Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        ApplicationPipeline pipeline;
        try
        {
            pipeline = new ApplicationPipeline(builder.Environment.EnvironmentName);
        }
        catch (MissingSettingsException missing)
        {
            // Names only: the message never holds a value.
            await Console.Error.WriteLineAsync(missing.Message);
            Environment.ExitCode = 1;
            return;
        }

        builder.Services.AddFunctionsApp(pipeline);
        using var host = builder.Build();
        await host.RunAsync();
    }

    /// <summary>The worker's services: the app's pipeline, started and stopped with the worker, and the durable payloads' serializer.</summary>
    public static IServiceCollection AddFunctionsApp(this IServiceCollection services, ApplicationPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        services.AddSingleton(pipeline);
        services.AddHostedService<ApplicationPipelineService>();
        services.AddOptions<WorkerOptions>().Configure(o => o.Serializer = new DurablePayloadSerializer(
            new EncryptingDataConverter(pipeline.Services.GetRequiredService<FieldEncryption>())));
        return services;
    }
}
