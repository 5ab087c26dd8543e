// Builds the Table Storage client from configuration: a connection string (Azurite, keys) or an
// endpoint reached with the managed identity (Azure, no secrets). Storage that cannot be reached
// fails fast as ServiceUnavailable instead of hanging or surfacing as a 500, and a table that has
// gone missing is created again.
import { TableClient, type TableServiceClientOptions } from "@azure/data-tables";
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import type { Config } from "../config.js";
import { ProblemError, unavailableRetryAfterSeconds } from "../domain/problem.js";
import { isTableNotFound, statusCodeOf } from "./conflict.js";

type PipelinePolicy = NonNullable<TableServiceClientOptions["additionalPolicies"]>[number]["policy"];

/**
 * One try that has not answered in this time is abandoned (a frozen or black-holed service). A
 * timed-out try is not retried by the SDK, so this is also the longest a hang costs a request;
 * Azurite on a busy 2-core machine answers a 100-action transaction well within it.
 */
const storageTryTimeoutMs = 3_000;

/**
 * Connection failures and 5xx are retried twice, about 200 then 400 ms apart (the SDK's default is
 * 3 retries from 1 s up to 64 s, so a refused connection took over 7 s to fail). Worst case for one
 * storage call: 3 tries × 3 s + 0.6 s, under the 10 s a caller waits for a 503.
 */
const retryOptions = { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 };

/** Socket-level failures of a request (Node's error codes, and the SDK's catch-all). */
const transportErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "REQUEST_SEND_ERROR",
]);

/** 408 and 5xx are the service's trouble; 501 and 505 say the request itself is wrong (a bug). */
const isUnavailableStatus = (status: number): boolean =>
  status === 408 || (status >= 500 && status !== 501 && status !== 505);

/**
 * Storage could not be reached or did not answer: the connection failed, a try timed out or was
 * aborted, or the service kept answering 5xx. A 4xx or any other error is not one of these.
 */
function isStorageUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if ("name" in error && error.name === "AbortError") return true;
  const status = statusCodeOf(error);
  if (status !== undefined) return isUnavailableStatus(status);
  return "code" in error && typeof error.code === "string" && transportErrorCodes.has(error.code);
}

const unavailable = (what: string, cause: unknown): ProblemError =>
  new ProblemError(
    "ServiceUnavailable",
    `The service's storage ${what} right now; retry in ${unavailableRetryAfterSeconds} seconds.`,
    undefined,
    { "Retry-After": String(unavailableRetryAfterSeconds) },
    { cause },
  );

const storageUnavailable = (cause: unknown): ProblemError => unavailable("cannot be reached", cause);

/**
 * Outside the SDK's retries: gives every try a timeout, and turns what is left of a transport
 * failure or a 5xx once the retries are spent into ServiceUnavailable, for every operation of the
 * client (transactions included, which return a 5xx response instead of throwing it).
 */
const unavailableAsProblem: PipelinePolicy = {
  name: "storageUnavailableAsProblem",
  async sendRequest(request, next) {
    if (!request.timeout) request.timeout = storageTryTimeoutMs;
    let response: Awaited<ReturnType<typeof next>>;
    try {
      response = await next(request);
    } catch (error) {
      if (isStorageUnavailable(error)) throw storageUnavailable(error);
      throw error;
    }
    if (isUnavailableStatus(response.status)) {
      throw storageUnavailable(new Error(`Table Storage answered ${response.status} after retries`));
    }
    return response;
  },
};

/** A Table Storage error body (JSON, or XML from older versions) with the code TableNotFound. */
const tableNotFoundBody = /"code"\s*:\s*"TableNotFound"|<code>TableNotFound<\/code>/;

type Next = Parameters<PipelinePolicy["sendRequest"]>[1];
type PipelineRequest = Parameters<Next>[0];
type PipelineResponse = Awaited<ReturnType<Next>>;

/**
 * Sends the request: its answer, or "missing" when it says the table does not exist. A single
 * operation throws that as an error; a transaction answers 202 with its failed operation's 404
 * inside (the SDK throws it only after the pipeline).
 */
async function sendFindingTable(request: PipelineRequest, next: Next): Promise<PipelineResponse | "missing"> {
  let response: PipelineResponse;
  try {
    response = await next(request);
  } catch (error) {
    if (isTableNotFound(error)) return "missing";
    throw error;
  }
  const body = response.bodyAsText ?? "";
  const isMissing = response.status === 202 && /^HTTP\/1\.1 404 /m.test(body) && tableNotFoundBody.test(body);
  return isMissing ? "missing" : response;
}

/**
 * Creates the table again when it has gone missing (an emulator restarted empty, a table deleted
 * by mistake, a new account behind the same setting), once for all the requests that found it
 * missing together: each notes how many times the table was created before it was sent, and one
 * sent before the latest creation only needs sending again.
 */
class TableRecreation {
  private created = 0;
  private creating: Promise<void> | undefined;

  constructor(
    private readonly create: () => Promise<void>,
    private readonly onCreated: () => void,
  ) {}

  get count(): number {
    return this.created;
  }

  /** Resolves once the table was created after the `seen`th time; rejects if creating it failed. */
  async since(seen: number): Promise<void> {
    if (this.created !== seen) return;
    this.creating ??= this.create()
      .then(() => {
        this.created++;
        this.onCreated();
      })
      .finally(() => {
        this.creating = undefined;
      });
    await this.creating;
  }
}

/**
 * A request that found the table missing waits for it to be created again and is sent once more
 * (it changed nothing). While the table cannot be created (Azure refuses a name for a while after
 * deleting it) or is missing again, it answers ServiceUnavailable, never a conflict or a 500.
 */
const recreateMissingTable = (recreation: TableRecreation): PipelinePolicy => ({
  name: "recreateMissingTable",
  async sendRequest(request, next) {
    const seen = recreation.count;
    const response = await sendFindingTable(request, next);
    if (response !== "missing") return response;
    const missing = (cause: unknown) => unavailable("is being set up again", cause);
    try {
      await recreation.since(seen);
    } catch (error) {
      throw error instanceof ProblemError ? error : missing(error);
    }
    const again = await sendFindingTable(request, next);
    if (again === "missing") throw missing(new Error("the table was missing again once created"));
    return again;
  },
});

function clientOptions(recreation: TableRecreation) {
  return {
    retryOptions,
    additionalPolicies: [
      { policy: recreateMissingTable(recreation), position: "perCall" as const },
      { policy: unavailableAsProblem, position: "perCall" as const },
    ],
  };
}

export function azureCredential(managedIdentityClientId: string | undefined): TokenCredential {
  return managedIdentityClientId
    ? new ManagedIdentityCredential({ clientId: managedIdentityClientId })
    : new DefaultAzureCredential();
}

/** Is the table Azurite's (the development storage), whose range queries test every row of the table? */
export const isEmulatedTable = (config: Pick<Config, "tables">): boolean =>
  config.tables.kind === "connectionString" && isLocal(config.tables.connectionString);

const isLocal = (connectionString: string): boolean =>
  /UseDevelopmentStorage=true/i.test(connectionString) ||
  /https?:\/\/(127\.0\.0\.1|localhost)/i.test(connectionString);

/** `onTableCreatedAgain`: told each time the table was found missing and created again. */
export function createTableClient(
  config: Pick<Config, "tables" | "managedIdentityClientId">,
  { onTableCreatedAgain = () => {} }: { onTableCreatedAgain?: () => void } = {},
): TableClient {
  const { tables } = config;
  const options = clientOptions(new TableRecreation(() => client.createTable(), onTableCreatedAgain));
  const client =
    tables.kind === "connectionString"
      ? TableClient.fromConnectionString(tables.connectionString, tables.tableName, {
          ...options,
          allowInsecureConnection: isLocal(tables.connectionString),
        })
      : new TableClient(
          tables.endpoint,
          tables.tableName,
          azureCredential(config.managedIdentityClientId),
          options,
        );
  return client;
}

/** Creates the table if it is missing (the SDK treats "already exists" as success). */
export async function ensureTable(client: TableClient): Promise<void> {
  await client.createTable();
}
