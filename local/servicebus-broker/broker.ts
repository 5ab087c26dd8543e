import type { Server, Socket } from "node:net";
import type {
  Connection,
  Delivery,
  EventContext,
  Receiver,
  Sender,
  ServerConnectionOptions,
  Typed,
} from "rhea";
import rhea from "rhea";
import { SECTION, splitSections } from "./amqp-codec.js";
import { checkSasToken } from "./cbs.js";
import type { BrokerOptions, QueueConfig, QueueStats, RunningBroker } from "./index.js";
import type { LockToken } from "./lock-token.js";
import { field, handleManagement, record, stringOrUndefined } from "./management.js";
import { type Consumer, type Outcome, Queue } from "./queue.js";

export const MAX_MESSAGE_SIZE = 262_144;
const BATCH_FORMAT = 0x80013700;
/** Stand-in message format that makes rhea hand over the raw bytes of a single message. */
const RAW_FORMAT = 0x7f000000;
const DEAD_LETTER_SUFFIX = "/$deadletterqueue";
const MANAGEMENT_SUFFIX = "/$management";

// rhea internals the broker relies on (rhea is pinned to 3.0.5).
interface FlowLink {
  _get_drain(): boolean;
  delivery_count: number;
  credit: number;
  local: { handle: number };
}
interface LinkInternals extends FlowLink {
  _draining: boolean;
  local: { handle: number; attach: Record<string, unknown> };
  session: {
    outgoing: { next_pending_delivery: number; available(): number };
    _write_flow(link: FlowLink): void;
  };
}
interface TransferFrame {
  performative: { message_format?: number | null };
}
interface ConnectionInternals {
  on_transfer(frame: TransferFrame): void;
}
const internals = (link: Sender | Receiver): LinkInternals => link as unknown as LinkInternals;

/** A decoded `$cbs` or `$management` request. */
type Request = Record<string, unknown>;

type Route = { kind: "cbs" } | { kind: "management"; queue: Queue } | { kind: "queue"; queue: Queue };

interface ConnectionState {
  authorized: boolean;
  consumers: Set<LinkConsumer>;
}

/** A client's receiving link, fed by a queue. */
class LinkConsumer implements Consumer {
  /** Ids of deliveries handed to rhea but not yet on the wire (rhea takes credit only when it writes). */
  private readonly unsent: number[] = [];

  constructor(
    readonly sender: Sender,
    readonly queue: Queue,
    readonly receiveAndDelete: boolean,
    private readonly locks: WeakMap<Delivery, { queue: Queue; token: string }>,
  ) {}

  unsentCount(): number {
    const next = internals(this.sender).session.outgoing.next_pending_delivery;
    while ((this.unsent[0] ?? next) < next) this.unsent.shift();
    return this.unsent.length;
  }

  capacity(): number {
    const link = internals(this.sender);
    if (!this.sender.is_open() || link.session.outgoing.available() === 0) return 0;
    return link.credit - this.unsentCount();
  }

  deliver(payload: Buffer, lock: LockToken): void {
    const delivery = this.sender.send(payload, lock.tag, 0);
    this.unsent.push(delivery.id);
    if (!this.receiveAndDelete) this.locks.set(delivery, { queue: this.queue, token: lock.token });
  }
}

const outcome = (code: number, fields: Typed[] = []): Typed =>
  rhea.types.described(rhea.types.wrap_ulong(code), rhea.types.wrap_list(fields));
const ACCEPTED = 0x24;
const REJECTED = 0x25;
const MODIFIED = 0x27;
const rejected = (condition: string, description: string): Typed =>
  outcome(REJECTED, [rhea.types.wrap_error({ condition, description })]);

export function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const host = options.host ?? "127.0.0.1";
  const keyName = options.sasKeyName ?? "RootManageSharedAccessKey";
  const key = options.sasKey ?? "SAS_KEY_VALUE";
  const queues = new Map<string, Queue>();
  const addQueue = (config: QueueConfig): Queue => {
    const dlq = new Queue(`${config.name}/$DeadLetterQueue`, {
      maxDeliveryCount: Number.POSITIVE_INFINITY,
      lockDurationMs: config.lockDurationMs ?? 60_000,
      duplicateDetectionWindowMs: 0,
    });
    const queue = new Queue(
      config.name,
      {
        maxDeliveryCount: config.maxDeliveryCount ?? 10,
        lockDurationMs: config.lockDurationMs ?? 60_000,
        duplicateDetectionWindowMs: config.duplicateDetectionWindowMs ?? 600_000,
      },
      dlq,
    );
    queues.set(config.name.toLowerCase(), queue);
    queues.set(`${config.name.toLowerCase()}${DEAD_LETTER_SUFFIX}`, dlq);
    return queue;
  };
  for (const config of options.queues) addQueue(config);
  /** The queue at a (non-DLQ, non-management) address, created on first use when allowed. */
  const queueAt = (name: string): Queue | undefined => {
    const found = queues.get(name);
    if (found || !options.autoCreateQueues || name.includes("/")) return found;
    return addQueue({ ...options.autoCreateQueues, name });
  };

  const routes = new WeakMap<Sender | Receiver, Route>();
  const consumers = new WeakMap<Sender, LinkConsumer>();
  const locks = new WeakMap<Delivery, { queue: Queue; token: string }>();
  const connections = new WeakMap<Connection, ConnectionState>();
  const stateOf = (connection: Connection): ConnectionState => {
    let state = connections.get(connection);
    if (!state) {
      state = { authorized: false, consumers: new Set() };
      connections.set(connection, state);
    }
    return state;
  };

  const container = rhea.create_container({ id: "local-servicebus-broker" });

  container.on("connection_open", (context: EventContext) => {
    // rhea decodes single messages itself; relabel their format so the 'message' event carries the raw
    // bytes, which are stored untouched.
    const connection = context.connection as unknown as ConnectionInternals;
    const onTransfer = connection.on_transfer.bind(connection);
    connection.on_transfer = (frame) => {
      if (frame.performative.message_format === 0) frame.performative.message_format = RAW_FORMAT;
      onTransfer(frame);
    };
    stateOf(context.connection);
  });

  /** Resolves an attach to a route, or refuses the link. */
  const attach = (link: Sender | Receiver, connection: Connection, address: string): Route | undefined => {
    const refuse = (condition: string, description: string): undefined => {
      link.close({ condition, description });
      return undefined;
    };
    if (address === "$cbs") return { kind: "cbs" };
    if (!stateOf(connection).authorized)
      return refuse("amqp:unauthorized-access", "Put a token on $cbs first.");
    // The SDK recognises MessagingEntityNotFound by this description, as the service words it.
    const notFound = (): undefined =>
      refuse("amqp:not-found", `The messaging entity '${address}' could not be found.`);
    const lower = address.toLowerCase();
    if (lower.endsWith(MANAGEMENT_SUFFIX)) {
      const queue = queueAt(lower.slice(0, -MANAGEMENT_SUFFIX.length));
      return queue ? { kind: "management", queue } : notFound();
    }
    if (lower.endsWith(DEAD_LETTER_SUFFIX)) queueAt(lower.slice(0, -DEAD_LETTER_SUFFIX.length));
    const queue = queueAt(lower);
    return queue ? { kind: "queue", queue } : notFound();
  };

  // Attach replies are written after these handlers return, so the broker's terminus and settle
  // modes are filled in here; a null terminus tells the client the link was refused.
  container.on("sender_open", (context: EventContext) => {
    const sender = context.sender;
    if (!sender) return;
    const address = String(sender.source?.address ?? "");
    const filter = record(sender.source?.filter);
    if (filter && "com.microsoft:session-filter" in filter) {
      sender.close({ condition: "amqp:not-implemented", description: "Sessions are not supported." });
      return;
    }
    const route = attach(sender, context.connection, address);
    if (!route) return;
    sender.set_source({ address });
    sender.set_target({ address: String(sender.target?.address ?? "") });
    const local = internals(sender).local.attach;
    routes.set(sender, route);
    if (route.kind !== "queue") {
      local.snd_settle_mode = 1;
      return;
    }
    local.snd_settle_mode = sender.snd_settle_mode;
    local.rcv_settle_mode = sender.rcv_settle_mode;
    const consumer = new LinkConsumer(sender, route.queue, sender.snd_settle_mode === 1, locks);
    consumers.set(sender, consumer);
    stateOf(context.connection).consumers.add(consumer);
    route.queue.addConsumer(consumer);
  });

  container.on("receiver_open", (context: EventContext) => {
    const receiver = context.receiver;
    if (!receiver) return;
    const address = String(receiver.target?.address ?? "");
    if (address.toLowerCase().endsWith(DEAD_LETTER_SUFFIX)) {
      receiver.close({ condition: "amqp:not-allowed", description: "Cannot send to a dead-letter queue." });
      return;
    }
    const route = attach(receiver, context.connection, address);
    if (!route) return;
    routes.set(receiver, route);
    receiver.set_source({ address: String(receiver.source?.address ?? "") });
    receiver.set_target({ address });
    const local = internals(receiver).local.attach;
    local.rcv_settle_mode = 0;
    local.snd_settle_mode = receiver.snd_settle_mode;
    local.max_message_size = MAX_MESSAGE_SIZE;
  });

  const dropConsumer = (context: EventContext): void => {
    const consumer = context.sender && consumers.get(context.sender);
    if (!consumer) return;
    consumer.queue.removeConsumer(consumer);
    stateOf(context.connection).consumers.delete(consumer);
  };
  container.on("sender_close", dropConsumer);
  const dropConnection = (context: EventContext): void => {
    const state = connections.get(context.connection);
    for (const consumer of state?.consumers ?? []) consumer.queue.removeConsumer(consumer);
    state?.consumers.clear();
  };
  container.on("connection_close", dropConnection);
  container.on("disconnected", dropConnection);
  container.on("connection_error", () => {});
  container.on("error", (error: unknown) => {
    console.error("[servicebus-broker]", error);
  });

  container.on("sendable", (context: EventContext) => {
    const consumer = context.sender && consumers.get(context.sender);
    consumer?.queue.pump();
  });

  // The SDK drains after every receiveMessages() and waits only 200 ms for the echo, which rhea sends
  // only while credit remains: answer every drain with our own flow, after the pumped transfers.
  container.on("sender_draining", (context: EventContext) => {
    const sender = context.sender;
    if (!sender) return;
    const consumer = consumers.get(sender);
    consumer?.queue.pump();
    const finish = (): void => {
      const link = internals(sender);
      if (!sender.is_open() || !link._draining) return;
      if (consumer && consumer.unsentCount() > 0) {
        setTimeout(finish, 1);
        return;
      }
      link.delivery_count += link.credit;
      link.credit = 0;
      link._draining = false;
      const { delivery_count, local } = link;
      link.session._write_flow({ _get_drain: () => true, delivery_count, credit: 0, local });
    };
    setImmediate(finish);
  });

  // Settlement of peek-locked deliveries. The SDK waits for a settled disposition with a plain outcome;
  // an outcome carrying an error makes it throw, which is only right for a lost lock.
  const settle = (kind: "accepted" | "rejected" | "modified" | "released") => (context: EventContext) => {
    const delivery = context.delivery;
    const entry = delivery && locks.get(delivery);
    if (!delivery || !entry) return;
    locks.delete(delivery);
    const state = delivery.remote_state;
    let request: Outcome | undefined;
    if (kind === "accepted") request = { kind: "complete" };
    else if (kind === "released") request = { kind: "abandon" };
    else if (kind === "modified" && !field(state, "undeliverable_here")) {
      request = { kind: "abandon", properties: record(field(state, "message_annotations")) };
    } else if (kind === "rejected") {
      const info = { ...record(field(field(state, "error"), "info")) };
      const reason = stringOrUndefined(info.DeadLetterReason);
      const description = stringOrUndefined(info.DeadLetterErrorDescription);
      delete info.DeadLetterReason;
      delete info.DeadLetterErrorDescription;
      request = { kind: "deadLetter", reason, description, properties: info };
    }
    let reply: Typed;
    if (!request) reply = rejected("amqp:not-implemented", "Deferral is not supported by the local broker.");
    else if (!entry.queue.settle(entry.token, request)) {
      reply = rejected("com.microsoft:message-lock-lost", "The lock on the message was lost.");
    } else reply = outcome(kind === "accepted" ? ACCEPTED : kind === "rejected" ? REJECTED : MODIFIED);
    delivery.update(true, reply);
    // The client never settles its side in peek-lock mode: mark it so rhea frees the session buffer.
    (delivery as unknown as { remote_settled: boolean }).remote_settled = true;
  };
  container.on("accepted", settle("accepted"));
  container.on("rejected", settle("rejected"));
  container.on("modified", settle("modified"));
  container.on("released", settle("released"));

  const reply = (connection: Connection, request: Request, applicationProperties: object, body?: unknown) => {
    const id = request.message_id;
    const link: Sender | undefined = connection.find_sender((s: Sender) => s.name === request.reply_to);
    if (typeof id !== "string" && typeof id !== "number" && !Buffer.isBuffer(id)) return;
    link?.send({ correlation_id: id, application_properties: applicationProperties, body });
  };

  container.on("message", (context: EventContext) => {
    const { receiver, delivery, connection } = context;
    const route = receiver && routes.get(receiver);
    const raw = context.message;
    const format = (context as { format?: number }).format;
    if (!receiver || !delivery || !route || !Buffer.isBuffer(raw)) return;
    const settleWith = (state: Typed): void => delivery.update(true, state);
    try {
      if (route.kind === "cbs") {
        const request: Request = rhea.message.decode(raw);
        const check = checkSasToken(request.body, keyName, key);
        if (check.ok) stateOf(connection).authorized = true;
        reply(connection, request, {
          "status-code": check.ok ? 202 : 401,
          "status-description": check.description,
          ...(check.ok ? {} : { "error-condition": "amqp:unauthorized-access" }),
        });
      } else if (route.kind === "management") {
        const request: Request = rhea.message.decode(raw);
        const { body, ...status } = handleManagement(
          route.queue,
          field(request.application_properties, "operation"),
          request.body,
        );
        reply(connection, request, status, body);
      } else if (raw.length > MAX_MESSAGE_SIZE) {
        settleWith(
          rejected(
            "amqp:link:message-size-exceeded",
            `The message is ${raw.length} bytes; the limit is ${MAX_MESSAGE_SIZE}.`,
          ),
        );
        return;
      } else if (format === BATCH_FORMAT) {
        // A batch's body is one data section per encoded message.
        for (const section of splitSections(raw)) {
          if (section.code === SECTION.data) route.queue.enqueue(binaryContent(section.value));
        }
      } else {
        route.queue.enqueue(raw);
      }
      settleWith(outcome(ACCEPTED));
    } catch (error) {
      settleWith(rejected("amqp:decode-error", error instanceof Error ? error.message : String(error)));
    }
  });

  const listenOptions: ServerConnectionOptions & Record<string, unknown> = {
    host,
    port: options.port ?? 0,
    // Without TCP_NODELAY sequential sends crawl at ~45 msg/s.
    tcp_no_delay: true,
    // Peek-locked deliveries stay in rhea's session buffer until settled: allow plenty.
    session_buffer_size: 1 << 16,
    autoaccept: false,
    // Otherwise rhea reports an abandon (modified) a second time as released.
    treat_modified_as_released: false,
  };
  const server: Server = container.listen(listenOptions);
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    // rhea writes each frame as it goes: gather the replies to one read into one write.
    socket.prependListener("data", () => {
      if (socket.writableCorked > 0) return;
      socket.cork();
      setImmediate(() => socket.uncork());
    });
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const endpointHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
      resolve({
        port,
        connectionString: `Endpoint=sb://${endpointHost}:${port};SharedAccessKeyName=${keyName};SharedAccessKey=${key};UseDevelopmentEmulator=true;`,
        stats(name: string): QueueStats {
          const queue = queueAt(name.toLowerCase());
          if (!queue) throw new Error(`Unknown queue '${name}'.`);
          return queue.stats();
        },
        close(): Promise<void> {
          for (const queue of queues.values()) queue.close();
          // With an error, so that rhea notices the disconnect and stops its heartbeat timers.
          for (const socket of sockets) socket.destroy(new Error("broker closed"));
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

function binaryContent(value: Buffer): Buffer {
  return value[0] === 0xa0 ? value.subarray(2) : value.subarray(5);
}
