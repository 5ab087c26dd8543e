// The CloudEvents 1.0 the service emits after committing a change (producers' events:
// shared/domain/event-schemas.ts).
// An event's id is also its Service Bus messageId, so the broker's duplicate detection and the
// worker's idempotent handling make a re-sent event harmless.

const emittedEventTypes = [
  "license.assigned",
  "license.unassigned",
  "license.plansChanged",
  "user.deleted",
  "user.restored",
  "retention.expired",
  // A member of a group whose licenses they could not be given (issue 19), and when that ends.
  "group.licenseErrorRaised",
  "group.licenseErrorCleared",
  // Internal: seats of products that group members wait for were freed; serve the oldest first.
  "licenses.seatsFreed",
  // Internal: one chunk of a bulk job for the worker to apply.
  "bulk.chunkRequested",
] as const;
export type EmittedEventType = (typeof emittedEventTypes)[number];

export interface CloudEvent<T = Record<string, unknown>> {
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject?: string;
  readonly datacontenttype: "application/json";
  readonly data: T;
}

const eventSource = "/license-assignment-service";

export function cloudEvent(
  type: EmittedEventType,
  id: string,
  time: string,
  subject: string,
  data: { readonly tenantId: string } & Record<string, unknown>,
): CloudEvent {
  return {
    specversion: "1.0",
    id,
    source: eventSource,
    type,
    time,
    subject,
    datacontenttype: "application/json",
    data,
  };
}
