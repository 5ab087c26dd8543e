// The Service Bus namespace and the provisioning queue. SAS keys are disabled (disableLocalAuth), so
// the only way in is Entra ID with the data roles granted in role-assignments.bicep.

@minLength(6)
@maxLength(50)
@description('Required. Name of the Service Bus namespace.')
param name string

@description('Required. Azure region of the namespace.')
param location string

@description('Required. Tags of the namespace.')
param tags object

@description('Required. Name of the queue that carries the provisioning events (PROVISIONING_QUEUE).')
param queueName string

// Standard, not Basic: Basic has no duplicate detection.
resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

// The consumer relies on these values: a message is delivered at most 10 times before it is
// dead-lettered, a lock lasts one minute, and a redelivered event with the same messageId
// within ten minutes is dropped by the broker.
resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: queueName
  properties: {
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    deadLetteringOnMessageExpiration: true
    // Without a finite time to live deadLetteringOnMessageExpiration would never apply: an event no
    // one has processed in 14 days goes to the dead-letter queue instead of waiting forever.
    defaultMessageTimeToLive: 'P14D'
    requiresSession: false
    enablePartitioning: false
  }
}

@description('Name of the namespace.')
output name string = namespace.name

@description('Name of the queue.')
output queueName string = queue.name

// serviceBusEndpoint is https://<name>.servicebus.windows.net:443/ (another domain in sovereign
// clouds); the trigger and the SDK want the bare host name, the third '/'-separated part sans port.
@description('Host name of the namespace (SERVICEBUS_CONNECTION__fullyQualifiedNamespace).')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
