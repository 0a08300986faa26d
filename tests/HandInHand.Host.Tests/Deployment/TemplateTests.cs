using System.Text.Json;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// What the template must say about each Azure resource, read from infra/main.json, the compiled
/// infra/main.bicep (BicepTests checks that the two agree).
/// </summary>
public sealed class TemplateTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [Fact]
    public void TheRegionIsAParameterThatDefaultsToUkSouthAndEveryResourceUsesIt()
    {
        Assert.Equal("uksouth", ArmTemplate.Root.GetProperty("parameters").GetProperty("location").GetProperty("defaultValue").GetString());
        foreach (var resource in ArmTemplate.Root.GetProperty("resources").EnumerateArray().Where(r => r.TryGetProperty("location", out _)))
        {
            Assert.Equal("[parameters('location')]", resource.GetProperty("location").GetString());
        }
    }

    [Fact]
    public void TheFunctionAppIsLinuxFlexConsumptionOnTheIsolatedWorkerWithAManagedIdentityHttpsOnlyAndNoFtpOrBasicAuthPublishing()
    {
        var plan = ArmTemplate.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean());

        var site = ArmTemplate.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal("SystemAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var properties = site.GetProperty("properties");
        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        var runtime = properties.GetProperty("functionAppConfig").GetProperty("runtime");
        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
        var deployment = properties.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", deployment.GetProperty("type").GetString());
        Assert.Equal("SystemAssignedIdentity", deployment.GetProperty("authentication").GetProperty("type").GetString());
        // The package goes to a container the template creates, in the account the identity is Blob Data Owner of.
        var container = ArmTemplate.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", container.GetProperty("properties").GetProperty("publicAccess").GetString());
        Assert.Contains("variables('deploymentContainer')", container.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Contains("variables('deploymentContainer')", deployment.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Contains("variables('storageName')", deployment.GetProperty("value").GetString(), StringComparison.Ordinal);
        var config = properties.GetProperty("siteConfig");
        Assert.Equal("1.2", config.GetProperty("minTlsVersion").GetString());
        Assert.Equal("1.2", config.GetProperty("scmMinTlsVersion").GetString());
        Assert.Equal("Disabled", config.GetProperty("ftpsState").GetString());

        var policies = ArmTemplate.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], policies.Select(p => ArmTemplate.ChildName(p.GetProperty("name").GetString()!)).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False(p.GetProperty("properties").GetProperty("allow").GetBoolean()));
    }

    [Fact]
    public void UnderTheFunctionsHostTheTimerDrivesTheDigestsAndDurableFunctionsRunsTheReferralOrchestrations()
    {
        var settings = ArmTemplate.AppSettings();
        Assert.Equal("false", settings["Digests__Enabled"]);
        // host.json's durableTask section names the hub and its connection; no setting of the app's own engine may compete with it.
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Orchestration__", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TheFunctionsHostAndTheDurableTaskHubReachStorageWithTheIdentityAndNoKey()
    {
        var settings = ArmTemplate.AppSettings();
        Assert.Equal("[variables('storageName')]", settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain(settings.Values, v => v.Contains("AccountKey", StringComparison.OrdinalIgnoreCase) || v.Contains("listKeys", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void NoAppSettingIsOneThatFlexConsumptionRefuses()
    {
        // Flex Consumption takes the runtime and the package from functionAppConfig; these settings fail the deployment there.
        string[] refused = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
            "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_NODE_DEFAULT_VERSION", "SCM_DO_BUILD_DURING_DEPLOYMENT"];
        Assert.Empty(ArmTemplate.AppSettings().Keys.Intersect(refused, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void TheSendGridEndpointsOfferedAreTheHostsTheSdkAddsTheMailSendPathTo()
    {
        // The SDK appends /v3/mail/send to its host: a full Mail Send URL here would double the path.
        var parameter = ArmTemplate.Root.GetProperty("parameters").GetProperty("sendGridEndpoint");
        string[] hosts = [Infrastructure.Email.SendGridEmailOptions.GlobalEndpoint.AbsoluteUri.TrimEnd('/'), Infrastructure.Email.SendGridEmailOptions.EuropeanEndpoint.AbsoluteUri.TrimEnd('/')];
        Assert.Equal(hosts, parameter.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(hosts[0], parameter.GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void StorageRefusesSharedKeysAndTheIdentityGetsBlobTableAndQueueRoles()
    {
        var storage = ArmTemplate.Single("Microsoft.Storage/storageAccounts").GetProperty("properties");
        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());
        Assert.True(storage.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal(new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }.Order(StringComparer.Ordinal), RolesOn("Microsoft.Storage/storageAccounts"));
    }

    [Fact]
    public void KeyVaultUsesRbacAndTheIdentityMayReadSecretsOnly()
    {
        var vault = ArmTemplate.Single("Microsoft.KeyVault/vaults").GetProperty("properties");
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.GetProperty("enablePurgeProtection").GetBoolean());
        Assert.Equal([KeyVaultSecretsUser], RolesOn("Microsoft.KeyVault/vaults"));
        Assert.Equal("SystemAssigned", ArmTemplate.Single("Microsoft.Web/sites").GetProperty("properties").GetProperty("keyVaultReferenceIdentity").GetString());
    }

    [Fact]
    public void ApplicationInsightsTakesTelemetryOnlyWithEntraId()
    {
        var insights = ArmTemplate.Single("Microsoft.Insights/components").GetProperty("properties");
        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
        Assert.Equal([MonitoringMetricsPublisher], RolesOn("Microsoft.Insights/components"));
        Assert.Equal("Authorization=AAD", ArmTemplate.AppSettings()["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void ServiceBusIsOptionalEntraOnlyAndCarriesOnlyTheLifecycleEventsTopicWithDuplicateDetection()
    {
        var condition = "[parameters('deployServiceBus')]";
        Assert.False(ArmTemplate.Root.GetProperty("parameters").GetProperty("deployServiceBus").GetProperty("defaultValue").GetBoolean());
        var ns = ArmTemplate.Single("Microsoft.ServiceBus/namespaces");
        Assert.Equal(condition, ns.GetProperty("condition").GetString());
        Assert.True(ns.GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
        Assert.Equal("Standard", ns.GetProperty("sku").GetProperty("name").GetString());

        var topic = ArmTemplate.Single("Microsoft.ServiceBus/namespaces/topics");
        Assert.Equal(condition, topic.GetProperty("condition").GetString());
        Assert.True(topic.GetProperty("properties").GetProperty("requiresDuplicateDetection").GetBoolean());
        Assert.Equal("P1D", topic.GetProperty("properties").GetProperty("duplicateDetectionHistoryTimeWindow").GetString());
        Assert.Equal(new HandInHand.Infrastructure.Messaging.ServiceBusOptions().EventsTopic, ArmTemplate.Root.GetProperty("variables").GetProperty("eventsTopic").GetString());

        // No Service Bus trigger runs under the isolated worker: a notifications queue would fill and never be read.
        Assert.Empty(ArmTemplate.Resources("Microsoft.ServiceBus/namespaces/queues"));

        // The app only publishes: nothing of it receives from Service Bus.
        Assert.Equal([ServiceBusDataSender], RolesOn("Microsoft.ServiceBus/namespaces"));
        Assert.All(ArmTemplate.Resources("Microsoft.Authorization/roleAssignments").Where(r => r.GetProperty("scope").GetString()!.Contains("Microsoft.ServiceBus", StringComparison.Ordinal)),
            r => Assert.Equal(condition, r.GetProperty("condition").GetString()));
    }

    [Fact]
    public void EveryRoleGoesToTheFunctionAppsOwnIdentity()
    {
        foreach (var role in ArmTemplate.Resources("Microsoft.Authorization/roleAssignments"))
        {
            var properties = role.GetProperty("properties");
            Assert.Equal("ServicePrincipal", properties.GetProperty("principalType").GetString());
            Assert.Equal("[reference(resourceId('Microsoft.Web/sites', variables('siteName')), '2024-04-01', 'full').identity.principalId]", properties.GetProperty("principalId").GetString());
        }
    }

    /// <summary>The role definition ids granted on resources of <paramref name="scopeType"/>, sorted.</summary>
    private static string[] RolesOn(string scopeType) =>
        ArmTemplate.Resources("Microsoft.Authorization/roleAssignments")
            .Where(r => r.GetProperty("scope").GetString()!.StartsWith($"[resourceId('{scopeType}'", StringComparison.Ordinal))
            .Select(r => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!)
            .Select(RoleDefinition)
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The role definition id in <c>subscriptionResourceId('…/roleDefinitions', x)</c>, where x is a literal id or a variable holding one.</summary>
    private static string RoleDefinition(string expression)
    {
        var argument = expression[(expression.IndexOf("roleDefinitions',", StringComparison.Ordinal) + "roleDefinitions',".Length)..^2].Trim();
        var id = argument.StartsWith('\'') ? argument.Trim('\'') : ArmTemplate.Evaluate($"[{argument}]");
        Assert.True(Guid.TryParse(id, out _), $"{expression} names no role definition id.");
        return id!;
    }
}
