// Builds the Service Bus client from configuration: a connection string (the local broker, keys)
// or a namespace reached with the managed identity (Azure, no secrets).
import { ServiceBusClient } from "@azure/service-bus";
import type { Config } from "../config.js";
import { azureCredential } from "../storage/table-client.js";

export function createServiceBusClient(config: Config): ServiceBusClient {
  const { serviceBus } = config;
  switch (serviceBus.kind) {
    case "connectionString":
      return new ServiceBusClient(serviceBus.connectionString);
    case "identity":
      return new ServiceBusClient(
        serviceBus.fullyQualifiedNamespace,
        azureCredential(config.managedIdentityClientId),
      );
  }
}
