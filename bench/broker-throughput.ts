// Throughput of the local Service Bus broker through the real SDK: batched sends while a subscriber
// completes each message. Run directly (`npx tsx bench/broker-throughput.ts [count]`) to start a broker
// in a child process (as in development, where it runs beside the function host) and print three rounds;
// add --in-process to run the broker in this process instead.
import { pathToFileURL } from "node:url";
import { ServiceBusClient } from "@azure/service-bus";
import { startBroker } from "../local/servicebus-broker/index.js";
import { startChildBroker } from "./child-broker.js";

export interface ThroughputResult {
  messages: number;
  seconds: number;
  perSecond: number;
}

export async function measureBrokerThroughput(
  connectionString: string,
  queue: string,
  count = 5000,
): Promise<ThroughputResult> {
  // Separate connections for producer and consumer, as an API and a function host would have.
  const producer = new ServiceBusClient(connectionString);
  const consumer = new ServiceBusClient(connectionString);
  const sender = producer.createSender(queue);
  const receiver = consumer.createReceiver(queue);
  const body = { operation: "assign", userId: "00000000-0000-0000-0000-000000000000", sku: "ENTERPRISEPACK" };
  let completed = 0;
  let target = 1;
  let reached: () => void = () => {};
  const waitFor = (n: number): Promise<void> => {
    target = n;
    return new Promise((resolve) => {
      reached = resolve;
      if (completed >= target) resolve();
    });
  };
  const subscription = receiver.subscribe(
    {
      async processMessage(message) {
        await receiver.completeMessage(message);
        if (++completed >= target) reached();
      },
      async processError(args) {
        console.error("subscriber error:", args.error);
      },
    },
    { maxConcurrentCalls: 50, autoCompleteMessages: false },
  );
  try {
    // Warm up: links, CBS tokens and the JIT, outside the measurement.
    const warmedUp = waitFor(1);
    await sender.sendMessages({ body });
    await warmedUp;
    completed = 0;

    const done = waitFor(count);
    const started = performance.now();
    let batch = await sender.createMessageBatch();
    for (let i = 0; i < count; i++) {
      if (!batch.tryAddMessage({ body, messageId: `bench-${i}-${started}` })) {
        await sender.sendMessages(batch);
        batch = await sender.createMessageBatch();
        batch.tryAddMessage({ body, messageId: `bench-${i}-${started}` });
      }
    }
    if (batch.count > 0) await sender.sendMessages(batch);
    await done;
    const seconds = (performance.now() - started) / 1000;
    return { messages: count, seconds, perSecond: count / seconds };
  } finally {
    await subscription.close();
    await producer.close();
    await consumer.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5000);
  const inProcess = process.argv.includes("--in-process");
  const broker = inProcess
    ? await startBroker({ queues: [{ name: "bench" }] })
    : await startChildBroker("bench");
  const stop = "stop" in broker ? () => broker.stop() : () => broker.close();
  try {
    console.log(
      `broker throughput, ${inProcess ? "broker in this process" : "broker in a child process"}, ` +
        "batched sends while a subscriber (50 concurrent calls) completes each message:",
    );
    // The first round runs on a cold broker (JIT); the later ones show the steady state.
    for (let round = 1; round <= 3; round++) {
      const result = await measureBrokerThroughput(broker.connectionString, "bench", count);
      console.log(
        `  round ${round}: ${result.messages} messages in ${result.seconds.toFixed(2)} s = ` +
          `${Math.round(result.perSecond)} msg/s`,
      );
    }
  } finally {
    await stop();
  }
}
