// HandInHand in Azure: the isolated-worker Functions app (functions/HandInHand.Functions) on a Linux
// Flex Consumption plan with a system-assigned identity; one Storage account with shared keys off,
// holding the Functions host's own state, the Durable task hub, the app's tables and the deployment
// package; Key Vault for the secrets; Application Insights; optionally a Service Bus namespace for
// lifecycle events. Deploy it with `az deployment group create` (README.md, "Deploying to Azure").
//
// infra/main.json is this file compiled (scripts/bicep.sh build); a test checks the two agree, and
// the other template tests read the JSON. Edit this file, never the JSON.

metadata description = 'HandInHand: a Flex Consumption Function App (dotnet-isolated 10.0) with a managed identity, identity-only Storage, Key Vault, Application Insights and an optional Service Bus namespace.'

@description('Azure region of every resource.')
param location string = 'uksouth'

@description('Prefix of resource names (lower case letters, digits and hyphens).')
@minLength(3)
@maxLength(20)
param appName string = 'handinhand'

@description('The Entra ID tenant staff sign in with.')
param entraTenantId string = subscription().tenantId

@description('Application (client) id of the HandInHand app registration.')
param entraClientId string

@description('Audience of API tokens; empty means the client id.')
param entraAudience string = ''

@description('SendGrid verified sender address.')
param fromEmail string

@description('SendGrid verified sender address for emails to young people, on a domain that does not name the service.')
param youngPersonFromEmail string

@description('The service manager\'s team mailbox.')
param managerEmail string

@description('SendGrid API host; the client adds /v3/mail/send (the EU one needs an EU-pinned SendGrid subuser).')
@allowed([
  'https://api.sendgrid.com'
  'https://api.eu.sendgrid.com'
])
param sendGridEndpoint string = 'https://api.sendgrid.com'

@description('Create a Service Bus namespace and publish lifecycle events to its topic (otherwise no integration events). Notifications are sent in process either way.')
param deployServiceBus bool = false

@description('Most instances the plan scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

var suffix = uniqueString(resourceGroup().id, appName)
var siteName = '${appName}-${suffix}'
var planName = '${appName}-plan'
var storageName = take('hh${suffix}', 24)
var keyVaultName = take('hh-kv-${suffix}', 24)
var workspaceName = '${appName}-logs'
var insightsName = '${appName}-insights'
var serviceBusName = '${appName}-sb-${suffix}'
var deploymentContainer = 'app-package'
var eventsTopic = 'lifecycle-events'

// Built-in role definitions granted to the Function App's identity.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
var serviceBusDataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Telemetry is accepted only with an Entra token (the site's identity), never with the key alone.
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    // Every client (the Functions host, the Durable task hub, the app's tables, the deployment) uses Entra ID.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    accessTier: 'Hot'
  }

  resource blobs 'blobServices' = {
    name: 'default'

    // Flex Consumption runs the package it finds here; scripts/publish.sh's zip is uploaded by `az functionapp deployment source config-zip`.
    resource package 'containers' = {
      name: deploymentContainer
      properties: {
        publicAccess: 'None'
      }
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access by role assignment only: the site may read secrets, the operator sets them (README).
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = if (deployServiceBus) {
  name: serviceBusName
  location: location
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }

  // Lifecycle events for other systems. There is no notifications queue: under the isolated worker no
  // Service Bus trigger would take from it, so the orchestration's Notify activity sends in process.
  resource events 'topics' = {
    name: eventsTopic
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'P1D'
      defaultMessageTimeToLive: 'P14D'
    }
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: siteName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    // Flex Consumption takes the runtime from here, not from FUNCTIONS_WORKER_RUNTIME or
    // FUNCTIONS_EXTENSION_VERSION, which it refuses as app settings.
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        // The Functions host's storage and the Durable task hub (host.json: connectionName
        // AzureWebJobsStorage, hub HandInHand), reached with the site's identity: no key exists.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: insights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD'
        }
        // From here on, the app's own settings (the same the local host reads). A secret is a Key
        // Vault reference, which the platform resolves with the site's identity.
        {
          name: 'Storage__TableEndpoint'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'Intake__SecretKey'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=Intake-SecretKey)'
        }
        {
          name: 'Encryption__ActiveKeyId'
          value: 'key-1'
        }
        {
          name: 'Encryption__Keys__0__Id'
          value: 'key-1'
        }
        {
          name: 'Encryption__Keys__0__Key'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=Encryption-Key-1)'
        }
        {
          name: 'Entra__TenantId'
          value: entraTenantId
        }
        {
          name: 'Entra__ClientId'
          value: entraClientId
        }
        {
          name: 'Entra__Audience'
          value: empty(entraAudience) ? entraClientId : entraAudience
        }
        {
          name: 'Entra__ClientSecret'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=Entra-ClientSecret)'
        }
        {
          name: 'SendGrid__ApiKey'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=SendGrid-ApiKey)'
        }
        {
          name: 'SendGrid__Endpoint'
          value: sendGridEndpoint
        }
        {
          name: 'Notifications__BaseUrl'
          value: 'https://${siteName}.azurewebsites.net/'
        }
        {
          name: 'Notifications__FromEmail'
          value: fromEmail
        }
        {
          name: 'Notifications__YoungPersonFromEmail'
          value: youngPersonFromEmail
        }
        {
          name: 'Notifications__ManagerEmail'
          value: managerEmail
        }
        // The DigestRun timer trigger runs the digests; the app's own loop would send them twice.
        {
          name: 'Digests__Enabled'
          value: 'false'
        }
        // The Functions host forwards each request to the worker over loopback.
        {
          name: 'ForwardedHeaders__KnownProxies__0'
          value: '127.0.0.1'
        }
        {
          name: 'Transport__IntegrationEvents'
          value: deployServiceBus ? 'ServiceBus' : 'None'
        }
        {
          name: 'ServiceBus__FullyQualifiedNamespace'
          value: deployServiceBus ? 'https://${serviceBusName}.servicebus.windows.net' : ''
        }
        {
          name: 'ServiceBus__EventsTopic'
          value: eventsTopic
        }
      ]
    }
  }
}

// Neither FTP nor Kudu's basic-auth publishing: the package goes to the blob container with Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// Blob: the host's leases and timer schedules, the task hub's large messages and leases, the
// deployment package. Queue: the task hub's control and work-item queues. Table: the task hub's
// history and instances, and the app's own tables.
resource storageBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, siteName, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource storageQueueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, siteName, storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource storageTableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, siteName, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vaultSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, siteName, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource insightsPublisherRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, siteName, monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Sender: the lifecycle events. The app receives nothing from Service Bus.
resource serviceBusSenderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (deployServiceBus) {
  name: guid(serviceBus.id, siteName, serviceBusDataSender)
  scope: serviceBus
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output functionAppName string = site.name
output siteUrl string = 'https://${siteName}.azurewebsites.net/'
output keyVaultName string = vault.name
output storageAccountName string = storage.name
output serviceBusNamespace string = deployServiceBus ? serviceBusName : ''
