// `npm run send-event -- <event.json> [--queue provisioning]`: puts a CloudEvent on the queue by
// hand, as a producer would (SERVICEBUS_CONNECTION defaults to the broker `npm start` runs).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ServiceBusClient } from "@azure/service-bus";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { queue: { type: "string", default: process.env.PROVISIONING_QUEUE ?? "provisioning" } },
});
const file = positionals[0];
if (!file) {
  console.error("usage: npm run send-event -- <event.json> [--queue provisioning]");
  process.exit(2);
}
const connection =
  process.env.SERVICEBUS_CONNECTION ??
  "Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";
const event = JSON.parse(readFileSync(file, "utf8")) as { id?: unknown };
const messageId = typeof event.id === "string" ? event.id : randomUUID();
const client = new ServiceBusClient(connection);
try {
  await client.createSender(values.queue).sendMessages({ body: event, messageId });
  console.log(`sent ${file} to ${values.queue} as message ${messageId}`);
} finally {
  await client.close();
}
