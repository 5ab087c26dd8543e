// The Flex Consumption plan and the function app (Node 22), running as the user-assigned identity,
// with every app setting the code reads in Azure. No setting holds a key or a connection string.

@description('Required. Name of the function app (globally unique host name).')
param name string

@description('Required. Name of the Flex Consumption plan.')
param planName string

@description('Required. Azure region of the plan and the app.')
param location string

@description('Required. Tags of the plan and the app.')
param tags object

@description('Required. Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Required. Client id of that identity.')
param identityClientId string

@description('Required. Name of the storage account (tables, host storage, deployment container).')
param storageAccountName string

@description('Required. Blob container the plan deploys the app package from.')
param deploymentContainerName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Required. Host name of the Service Bus namespace, for example sb-x.servicebus.windows.net.')
param serviceBusFullyQualifiedNamespace string

@description('Required. Queue that carries the provisioning events.')
param provisioningQueueName string

@description('Required. Expected `iss` of bearer tokens.')
param authIssuer string

@description('Required. Expected `aud` of bearer tokens.')
param authAudience string

@description('Required. JWKS URL of the identity provider.')
param authJwksUrl string

@description('Required. Client id of the admin console\'s app registration; empty: the console asks for a pasted token.')
param consoleClientId string

@description('Required. Authority the console signs in at; empty with consoleClientId.')
param consoleAuthority string

@description('Required. Scope the console asks tokens for; empty with consoleClientId.')
param consoleApiScope string

@description('Required. ISO 8601 duration data is kept after unassignment or deletion.')
param retentionPeriod string

@description('Required. Six-field NCRONTAB schedule of the retention sweep.')
param retentionSweepSchedule string

@description('Required. ISO 8601 duration after which a stalled bulk chunk is sent again.')
param bulkChunkTimeout string

@description('Required. Times a stalled bulk chunk is sent again before its remaining users fail.')
param bulkChunkResends int

@description('Required. Six-field NCRONTAB schedule of the bulk watchdog.')
param bulkWatchdogSchedule string

@minValue(40)
@maxValue(1000)
@description('Required. Most instances the app may scale out to.')
param maximumInstanceCount int

@allowed([
  512
  2048
  4096
])
@description('Required. Memory of each instance, in MB.')
param instanceMemoryMB int

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // On Flex Consumption the runtime is set here; FUNCTIONS_WORKER_RUNTIME and
      // FUNCTIONS_EXTENSION_VERSION must not be app settings.
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// The whole set of app settings: a redeploy replaces whatever was set by hand. Names are checked
// against shared/config.ts (settingDescriptions) by local/bicep-check.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // Functions host storage through the identity (no AzureWebJobsStorage connection string).
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: storageAccount.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storageAccount.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storageAccount.properties.primaryEndpoints.table
    // The connection string only says where telemetry goes: its instrumentation key grants nothing
    // because local authentication is disabled on the component. Ingestion is authorised by the
    // identity named in the authentication string (Monitoring Metrics Publisher role).
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // The code's own clients (Table Storage, Service Bus) use this identity.
    AZURE_CLIENT_ID: identityClientId
    TABLES_ENDPOINT: storageAccount.properties.primaryEndpoints.table
    // Identity-based connection named SERVICEBUS_CONNECTION: read by the Service Bus trigger
    // (`connection: 'SERVICEBUS_CONNECTION'`) and, for the namespace, by the code's sender.
    SERVICEBUS_CONNECTION__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
    SERVICEBUS_CONNECTION__credential: 'managedidentity'
    SERVICEBUS_CONNECTION__clientId: identityClientId
    PROVISIONING_QUEUE: provisioningQueueName
    AUTH_ISSUER: authIssuer
    AUTH_AUDIENCE: authAudience
    AUTH_JWKS_URL: authJwksUrl
    // The admin console's Entra ID sign-in (served to it by GET /api/console/config); empty values
    // are read as unset, and then the console asks for a pasted token.
    CONSOLE_CLIENT_ID: consoleClientId
    CONSOLE_AUTHORITY: consoleAuthority
    CONSOLE_API_SCOPE: consoleApiScope
    RETENTION_PERIOD: retentionPeriod
    RETENTION_SWEEP_SCHEDULE: retentionSweepSchedule
    BULK_CHUNK_TIMEOUT: bulkChunkTimeout
    BULK_CHUNK_RESENDS: string(bulkChunkResends)
    BULK_WATCHDOG_SCHEDULE: bulkWatchdogSchedule
  }
}

@description('Name of the function app.')
output name string = functionApp.name

@description('Base URL of the function app.')
output url string = 'https://${functionApp.properties.defaultHostName}'
