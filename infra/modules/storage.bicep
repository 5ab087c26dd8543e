// The storage account: the service's table, the Functions host's own blobs, and the blob container
// the Flex Consumption plan deploys from. Shared-key access is off; everything uses Entra ID.

@minLength(3)
@maxLength(24)
@description('Required. Name of the storage account (3-24 lowercase letters and digits).')
param name string

@description('Required. Azure region of the storage account.')
param location string

@description('Required. Tags of the storage account.')
param tags object

@description('Required. Blob container that holds the function app\'s deployment package.')
param deploymentContainerName string

@description('Required. Table that holds the tenants\' data (the code\'s TABLES_TABLE_NAME).')
param tableName string

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

// Declared here so that the table exists from the first request on and a redeploy keeps it; the
// app's own create-if-missing at start-up then finds it.
resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: tableName
}

@description('Name of the storage account.')
output name string = storageAccount.name

@description('Name of the deployment container.')
output deploymentContainerName string = deploymentContainer.name

@description('Name of the table.')
output tableName string = table.name
