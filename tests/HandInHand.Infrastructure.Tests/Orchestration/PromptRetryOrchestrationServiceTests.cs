using Azure;
using DurableTask.AzureStorage;
using HandInHand.Infrastructure.Orchestration.Hosting;

namespace HandInHand.Infrastructure.Tests.Orchestration;

/// <summary>
/// After a storage fault the worker goes on at once: the Azure Storage service's own answer (10 s,
/// which the dispatcher then waits after every work item until five succeed) stalled a fault run's
/// timers for 80 s. Other failures keep the service's answer.
/// </summary>
public sealed class PromptRetryOrchestrationServiceTests
{
    private static readonly AzureStorageOrchestrationService Inner = new(new AzureStorageOrchestrationServiceSettings
    {
        TaskHubName = "PromptRetry",
        StorageAccountClientProvider = new StorageAccountClientProvider("UseDevelopmentStorage=true"),
    });

    public static TheoryData<Exception> StorageFaults() =>
    [
        new RequestFailedException(503, "Server busy"),
        new InvalidOperationException("An error occurred while communicating with Azure Storage", new RequestFailedException(500, "Operation timed out")),
        new AggregateException(new HttpRequestException("The response ended prematurely."), new RequestFailedException(0, "No response")),
        new TimeoutException(),
    ];

    public static TheoryData<Exception> OtherFailures() =>
    [
        new InvalidOperationException("Something else"),
        new AggregateException(new HttpRequestException("lost"), new InvalidOperationException("Something else")),
    ];

    [Theory]
    [MemberData(nameof(StorageFaults))]
    public void AWorkItemThatFailedOnAStorageFaultIsFollowedAtOnce(Exception fault)
    {
        Assert.Equal(10, Inner.GetDelayInSecondsAfterOnProcessException(fault));
        Assert.Equal(0, new PromptRetryOrchestrationService(Inner).GetDelayInSecondsAfterOnProcessException(fault));
    }

    [Theory]
    [MemberData(nameof(OtherFailures))]
    public void OtherFailuresKeepTheServicesBackOff(Exception failure) =>
        Assert.Equal(Inner.GetDelayInSecondsAfterOnProcessException(failure), new PromptRetryOrchestrationService(Inner).GetDelayInSecondsAfterOnProcessException(failure));
}
