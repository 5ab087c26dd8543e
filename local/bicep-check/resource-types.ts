// Resource types (and API versions) the templates may use. A type or version outside this list is a
// finding: it is either a typo the offline check cannot otherwise see, or a new dependency someone
// should look at (and add here after checking the resource's schema for that version).
export const allowedResourceTypes: ReadonlyMap<string, readonly string[]> = new Map([
  ["Microsoft.Resources/resourceGroups", ["2024-03-01"]],
  ["Microsoft.ManagedIdentity/userAssignedIdentities", ["2023-01-31"]],
  ["Microsoft.Storage/storageAccounts", ["2023-05-01"]],
  ["Microsoft.Storage/storageAccounts/blobServices", ["2023-05-01"]],
  ["Microsoft.Storage/storageAccounts/blobServices/containers", ["2023-05-01"]],
  ["Microsoft.Storage/storageAccounts/tableServices", ["2023-05-01"]],
  ["Microsoft.Storage/storageAccounts/tableServices/tables", ["2023-05-01"]],
  ["Microsoft.ServiceBus/namespaces", ["2022-10-01-preview"]],
  ["Microsoft.ServiceBus/namespaces/queues", ["2022-10-01-preview"]],
  ["Microsoft.OperationalInsights/workspaces", ["2023-09-01"]],
  ["Microsoft.Insights/components", ["2020-02-02"]],
  ["Microsoft.Web/serverfarms", ["2024-04-01"]],
  ["Microsoft.Web/sites", ["2024-04-01"]],
  ["Microsoft.Web/sites/config", ["2024-04-01"]],
  ["Microsoft.Authorization/roleAssignments", ["2022-04-01"]],
]);
