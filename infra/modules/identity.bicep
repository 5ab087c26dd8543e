// The user-assigned identity the function app runs as; every data access of the app and its host
// goes through it (see role-assignments.bicep), so no key or connection string is ever issued.

@description('Required. Name of the user-assigned managed identity.')
param name string

@description('Required. Azure region of the identity.')
param location string

@description('Required. Tags of the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client id of the identity (AZURE_CLIENT_ID and the `__clientId` settings).')
output clientId string = identity.properties.clientId

@description('Object id of the identity\'s service principal, the subject of the role assignments.')
output principalId string = identity.properties.principalId
