// Builds the Table Storage client from configuration: a connection string (Azurite, keys) or an
// endpoint reached with the managed identity (Azure, no secrets).
import { TableClient } from "@azure/data-tables";
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import type { Config } from "../config.js";

export function azureCredential(managedIdentityClientId: string | undefined): TokenCredential {
  return managedIdentityClientId
    ? new ManagedIdentityCredential({ clientId: managedIdentityClientId })
    : new DefaultAzureCredential();
}

const isLocal = (connectionString: string): boolean =>
  /UseDevelopmentStorage=true/i.test(connectionString) ||
  /https?:\/\/(127\.0\.0\.1|localhost)/i.test(connectionString);

export function createTableClient(config: Config): TableClient {
  const { tables } = config;
  if (tables.kind === "connectionString") {
    return TableClient.fromConnectionString(tables.connectionString, tables.tableName, {
      allowInsecureConnection: isLocal(tables.connectionString),
    });
  }
  return new TableClient(tables.endpoint, tables.tableName, azureCredential(config.managedIdentityClientId));
}

/** Creates the table if it is missing (the SDK treats "already exists" as success). */
export async function ensureTable(client: TableClient): Promise<void> {
  await client.createTable();
}
