// Rejected queue events: recorded by the worker's trigger where the event's tenant can read them
// (GET /api/events/rejected), so a producer learns why its event was not applied.
import { z } from "zod";
import type { EventRejected } from "../domain/event-rejected.js";
import type { Deps } from "./deps.js";
import { type Page, type RejectedEvent, systemRejectionPartition } from "./ports.js";
import { decodeBody } from "./steps/message-body.js";

/** What the trigger knows of the delivery (Service Bus trigger metadata). */
export interface Delivery {
  readonly messageId: string;
  readonly enqueuedAt: string;
  readonly deliveryCount: number;
}

const header = z.looseObject({
  id: z.string().optional().catch(undefined),
  type: z.string().optional().catch(undefined),
  source: z.string().optional().catch(undefined),
  subject: z.string().optional().catch(undefined),
  data: z
    .looseObject({ tenantId: z.guid().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

/** Whatever can be read of a rejected message: it may be anything at all. */
function readHeader(body: unknown) {
  const decoded = decodeBody(body);
  const parsed = header.safeParse(decoded?.value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Records the rejection in the partition of the event's tenant; an event naming no tenant goes to a
 * system partition (and the log) only. Answers the tenant, if any.
 */
export async function recordRejectedEvent(
  deps: Deps,
  body: unknown,
  rejection: EventRejected,
  delivery: Delivery,
): Promise<{ tenantId?: string; record: RejectedEvent }> {
  const event = readHeader(body);
  const tenantId = event?.data?.tenantId?.toLowerCase();
  const record = await deps.rejectedEvents.put(tenantId ?? systemRejectionPartition, delivery.messageId, {
    ...(event?.id === undefined ? {} : { eventId: event.id }),
    ...(event?.type === undefined ? {} : { type: event.type }),
    ...(event?.source === undefined ? {} : { source: event.source }),
    ...(event?.subject === undefined ? {} : { subject: event.subject }),
    code: rejection.code,
    detail: rejection.detail,
    rejectedAt: deps.clock.now().toISOString(),
    enqueuedAt: delivery.enqueuedAt,
    deliveryCount: delivery.deliveryCount,
  });
  return tenantId === undefined ? { record } : { tenantId, record };
}

export function listRejectedEvents(
  deps: Deps,
  tenantId: string,
  page: { top: number; continuation?: string },
): Promise<Page<RejectedEvent>> {
  return deps.rejectedEvents.list(tenantId, page);
}
