// The license-assignment service in one resource group: a Flex Consumption function app (Node 22),
// its storage, the provisioning queue, monitoring, and one user-assigned identity that reaches all of
// them with role assignments instead of keys. Checked offline by local/bicep-check (no `bicep build`).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Required. Name of the environment (for example "prod"); with a unique suffix it names every resource.')
param environmentName string

@minLength(1)
@description('Required. Azure region of every resource; it must offer the Flex Consumption plan.')
param location string

@description('Optional. Name of the resource group to create or update; empty means "rg-<environmentName>".')
param resourceGroupName string = ''

@minLength(1)
@description('Required. Expected `iss` of bearer tokens (AUTH_ISSUER); Entra ID: https://login.microsoftonline.com/<tenant-id>/v2.0 for v2.0 tokens, https://sts.windows.net/<tenant-id>/ for v1.0 tokens.')
param authIssuer string

@minLength(1)
@description('Required. Expected `aud` of bearer tokens (AUTH_AUDIENCE); Entra ID: the API\'s client id for v2.0 tokens, its application ID URI for v1.0 tokens.')
param authAudience string

@minLength(1)
@description('Required. JWKS URL of the identity provider (AUTH_JWKS_URL), for example https://login.microsoftonline.com/<tenant-id>/discovery/v2.0/keys.')
param authJwksUrl string

@description('Optional. Client id of the admin console\'s app registration, a single-page application whose redirect URI is the output consoleRedirectUri (CONSOLE_CLIENT_ID). With consoleAuthority and consoleApiScope the console signs in with Microsoft Entra ID; leave all three empty for the pasted-token sign-in.')
param consoleClientId string = ''

@description('Optional. Authority the console signs in at (CONSOLE_AUTHORITY), for example https://login.microsoftonline.com/<tenant-id>.')
param consoleAuthority string = ''

@description('Optional. Scope the console asks tokens for (CONSOLE_API_SCOPE): the API\'s application ID URI and scope, for example api://license-assignment/access_as_user.')
param consoleApiScope string = ''

@description('Optional. ISO 8601 duration (days, hours, minutes, seconds) data is kept after unassignment or deletion (RETENTION_PERIOD).')
param retentionPeriod string = 'P30D'

@description('Optional. Six-field NCRONTAB schedule, in UTC, of the retention sweep (RETENTION_SWEEP_SCHEDULE).')
param retentionSweepSchedule string = '0 0 2 * * *'

@description('Optional. ISO 8601 duration after which a bulk chunk not finished since it was last sent or progressed is sent again (BULK_CHUNK_TIMEOUT).')
param bulkChunkTimeout string = 'PT5M'

@minValue(0)
@maxValue(20)
@description('Optional. Times a stalled bulk chunk is sent again before its remaining users fail (BULK_CHUNK_RESENDS).')
param bulkChunkResends int = 3

@description('Optional. Six-field NCRONTAB schedule, in UTC, of the bulk watchdog (BULK_WATCHDOG_SCHEDULE).')
param bulkWatchdogSchedule string = '0 */1 * * * *'

@minValue(40)
@maxValue(1000)
@description('Optional. Most instances the Flex Consumption plan may scale out to.')
param maximumInstanceCount int = 100

@allowed([
  512
  2048
  4096
])
@description('Optional. Memory of each instance, in MB.')
param instanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  environment: environmentName
  service: 'license-assignment'
}
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
// The code's defaults: PROVISIONING_QUEUE is also set explicitly; TABLES_TABLE_NAME is not an Azure
// setting (see shared/config.ts), so the table created here must keep the code's default name.
var provisioningQueueName = 'provisioning'
var tableName = 'LicenseData'
// Flex Consumption runs the package it finds in this blob container.
var deploymentContainerName = 'app-package'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tableName: tableName
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'serviceBus'
  scope: rg
  params: {
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    queueName: provisioningQueueName
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'roleAssignments'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    queueName: serviceBus.outputs.queueName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    provisioningQueueName: serviceBus.outputs.queueName
    authIssuer: authIssuer
    authAudience: authAudience
    authJwksUrl: authJwksUrl
    consoleClientId: consoleClientId
    consoleAuthority: consoleAuthority
    consoleApiScope: consoleApiScope
    retentionPeriod: retentionPeriod
    retentionSweepSchedule: retentionSweepSchedule
    bulkChunkTimeout: bulkChunkTimeout
    bulkChunkResends: bulkChunkResends
    bulkWatchdogSchedule: bulkWatchdogSchedule
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The app starts (and the first publish writes to the deployment container) only after its
  // identity holds its roles; role assignments can still take minutes to take effect.
  dependsOn: [
    roleAssignments
  ]
}

@description('Resource group that holds every resource of this environment.')
output resourceGroupName string = rg.name

@description('Name of the function app: the target of `func azure functionapp publish` and `az functionapp` commands.')
output functionAppName string = functionApp.outputs.name

@description('Base URL of the service; the routes live under /api.')
output functionAppUrl string = functionApp.outputs.url

@description('Redirect URI to register, as a single-page application platform, on the console\'s app registration.')
output consoleRedirectUri string = '${functionApp.outputs.url}/auth/redirect'

@description('Storage account holding the tables and the deployment container.')
output storageAccountName string = storage.outputs.name

@description('Service Bus namespace of the provisioning queue.')
output serviceBusNamespaceName string = serviceBus.outputs.name

@description('Queue that carries the provisioning events.')
output provisioningQueueName string = serviceBus.outputs.queueName

@description('Application Insights component receiving the telemetry.')
output applicationInsightsName string = monitoring.outputs.applicationInsightsName

@description('Client id of the managed identity the app runs as.')
output managedIdentityClientId string = identity.outputs.clientId
