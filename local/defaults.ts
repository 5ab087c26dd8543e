// The local run's defaults, in a module of their own so that `npm start -- --help` and its flag
// checks answer without loading the app (local/start.ts imports the rest only once they pass).

/** Azurite's standard Table service port. */
export const defaultTablesPort = 10002;
/** AMQP's standard port, for the local Service Bus broker. */
export const defaultBrokerPort = 5672;
/** Where `npm start -- --https` keeps its development certificate (git-ignored). */
export const defaultCertificateDir = ".local/dev-tls";
