namespace HandInHand.Functions.Hosting;

/// <summary>Starts the app's pipeline with the worker, and stops it with the worker.</summary>
public sealed class ApplicationPipelineService(ApplicationPipeline pipeline) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => pipeline.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.StopAsync(cancellationToken);
}
